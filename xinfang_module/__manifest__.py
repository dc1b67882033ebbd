# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Petition Management (信访管理)",
    "summary": "Register, route, supervise, call back and report 信访 petitions "
    "under the legal deadlines, with confidential petitioner identity",
    "version": "18.0.1.0.0",
    "category": "Services/Petitions",
    "website": "https://example.org/xinfang_module",
    "author": "xinfang_module contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["mail", "hr"],
    "data": [
        "security/xinfang_groups.xml",
        "security/ir.model.access.csv",
        "security/xinfang_security.xml",
        "data/ir_sequence_data.xml",
        "data/xinfang_category_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/xinfang_petition_views.xml",
        "views/xinfang_petitioner_views.xml",
        "views/xinfang_category_views.xml",
        "views/xinfang_supervision_views.xml",
        "views/hr_department_views.xml",
        "views/res_users_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/xinfang_repeat_wizard_views.xml",
        "wizards/xinfang_petition_step_views.xml",
        "views/xinfang_menus.xml",
        "report/xinfang_petition_reports.xml",
        "report/xinfang_petition_templates.xml",
    ],
    "demo": [
        "demo/xinfang_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "xinfang_module/static/src/js/tours/*.js",
        ],
    },
}

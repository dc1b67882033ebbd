from odoo import Command
from odoo.tests import TransactionCase, new_test_user

# Valid resident ID numbers (GB 11643 check digit) used across the tests.
ID_ZHANG = "110108196203150041"
ID_LI = "440106198807205317"
ID_WANG = "320502197901016728"


class XinfangCase(TransactionCase):
    """One user per group, two departments with a handler each, a category per
    department and petitions in every visibility situation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True)
        )
        cls.company = cls.env.company
        Department = cls.env["hr.department"]
        cls.dept_medical, cls.dept_nursing, cls.dept_discipline = Department.create(
            [
                {"name": name, "xinfang_handles": True}
                for name in ("医务科 (test)", "护理部 (test)", "纪检监察室 (test)")
            ]
        )

        def user(login, group, department=None):
            new_user = new_test_user(
                cls.env,
                login=login,
                groups=f"base.group_user,xinfang_module.{group}",
                name=login,
                tz="Asia/Shanghai",
            )
            if department:
                cls.env["hr.employee"].create(
                    {
                        "name": login,
                        "user_id": new_user.id,
                        "department_id": department.id,
                    }
                )
            return new_user

        cls.registrar = user("xf_t_registrar", "group_xinfang_registrar")
        cls.registrar2 = user("xf_t_registrar2", "group_xinfang_registrar")
        cls.handler = user("xf_t_handler", "group_xinfang_handler", cls.dept_medical)
        cls.handler_nursing = user(
            "xf_t_handler_nursing", "group_xinfang_handler", cls.dept_nursing
        )
        cls.officer = user("xf_t_officer", "group_xinfang_officer")
        cls.leader = user("xf_t_leader", "group_xinfang_leader")
        cls.discipline = user(
            "xf_t_discipline", "group_xinfang_discipline", cls.dept_discipline
        )
        cls.manager = user("xf_t_manager", "group_xinfang_manager")
        # Each department's petition contact (信访联络员): told of its items.
        cls._link_department(cls.handler, cls.dept_medical)
        cls._link_department(cls.handler_nursing, cls.dept_nursing)
        cls._link_department(cls.discipline, cls.dept_discipline)
        cls.outsider = new_test_user(
            cls.env, login="xf_t_outsider", groups="base.group_user"
        )

        Category = cls.env["xinfang.category"]
        cls.cat_quality = Category.create(
            {"name": "Quality (test)", "department_id": cls.dept_medical.id}
        )
        cls.cat_nursing = Category.create(
            {"name": "Nursing (test)", "department_id": cls.dept_nursing.id}
        )
        cls.cat_accusation = Category.create(
            {
                "name": "Accusation (test)",
                "department_id": cls.dept_discipline.id,
                "confidential": True,
            }
        )

        Petitioner = cls.env["xinfang.petitioner"]
        cls.zhang = Petitioner.create(
            {"name": "张建华", "id_number": ID_ZHANG, "phone": "13900001111"}
        )
        cls.li = Petitioner.create(
            {"name": "李秀英", "id_number": ID_LI, "phone": "13800002222"}
        )
        cls.wang = Petitioner.create(
            {"name": "王志明", "id_number": ID_WANG, "phone": "025-84560000"}
        )

        cls.p_medical = cls._petition(
            cls.zhang, cls.cat_quality, subject="门诊候诊时间过长", state="pending"
        )
        cls.p_concealed = cls._petition(
            cls.li,
            cls.cat_quality,
            subject="反映医生收受红包",
            state="pending",
            conceal_identity=True,
        )
        cls.p_nursing = cls._petition(
            cls.wang, cls.cat_nursing, subject="夜间巡视不及时", state="pending"
        )
        cls.p_confidential = cls._petition(
            cls.wang, cls.cat_accusation, subject="举报采购收受回扣", state="pending"
        )
        cls.p_draft_other = cls._petition(
            cls.wang, cls.cat_nursing, subject="病房卫生差", registrar=cls.registrar2
        )
        cls.p_mine_pending = cls._petition(
            cls.zhang,
            cls.cat_nursing,
            subject="护理服务态度",
            state="pending",
            registrar=cls.registrar,
        )

    @classmethod
    def _petition(cls, petitioner, category, registrar=None, **vals):
        return cls.env["xinfang.petition"].create(
            {
                "channel": "letter",
                "petitioner_id": petitioner.id,
                "category_id": category.id,
                "content": "内容",
                "registrar_id": (registrar or cls.officer).id,
                **vals,
            }
        )

    @classmethod
    def _department_head(cls, department, login, **user_vals):
        """A handler who heads ``department`` (the user of its manager)."""
        head = new_test_user(
            cls.env,
            login=login,
            groups="base.group_user,xinfang_module.group_xinfang_handler",
            **user_vals,
        )
        # The head works in the department (it reads its items).
        department.manager_id = cls.env["hr.employee"].create(
            {"name": login, "user_id": head.id, "department_id": department.id}
        )
        return head

    @classmethod
    def _link_department(cls, user, department):
        department.xinfang_user_ids = [Command.link(user.id)]

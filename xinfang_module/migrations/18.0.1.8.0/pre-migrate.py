"""18.0.1.8.0: the e-mail acknowledgment gives the query code (issue 16).

Its template is noupdate data: let this upgrade load its new body once (the
file marks it noupdate again). New records (the online template, rules,
the receipt) are created by the upgrade itself; ``portal`` is installed as
the new dependency."""


def migrate(cr, version):
    cr.execute(
        """UPDATE ir_model_data SET noupdate = false
            WHERE module = 'xinfang_module'
              AND name = 'mail_template_petition_email_received'"""
    )

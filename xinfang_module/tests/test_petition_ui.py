from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPetitionUi(HttpCase):
    def test_registrar_registers_petition_in_form(self):
        department = self.env["hr.department"].create({"name": "Tour Department"})
        category = self.env["xinfang.category"].create(
            {"name": "Tour Category", "department_id": department.id}
        )
        registrar = new_test_user(
            self.env,
            login="xf_tour_registrar",
            groups="base.group_user,xinfang_module.group_xinfang_registrar",
        )
        self.start_tour("/odoo", "xinfang_register_petition", login=registrar.login)
        petition = self.env["xinfang.petition"].search(
            [("subject", "=", "出院小结打印错误，要求更正")]
        )
        self.assertEqual(len(petition), 1)
        self.assertEqual(petition.state, "pending")
        self.assertEqual(petition.channel, "phone")
        self.assertEqual(petition.category_id, category)
        self.assertEqual(petition.department_id, department)
        self.assertEqual(petition.registrar_id, registrar)
        self.assertEqual(petition.petitioner_id.name, "赵新华")
        self.assertEqual(petition.petitioner_id.id_number, "320106197508233455")
        self.assertEqual(petition.petitioner_id.gender, "male")
        self.assertRegex(petition.name, r"^XF\d{4}-\d{5}$")

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ID_LI, XinfangCase


@tagged("post_install", "-at_install")
class TestPetitionerValidation(XinfangCase):
    def _create(self, **vals):
        return self.env["xinfang.petitioner"].create({"name": "测试", **vals})

    def test_valid_id_number(self):
        petitioner = self._create(id_number=" 11010519491231002x ")
        self.assertEqual(petitioner.id_number, "11010519491231002X")
        self.assertEqual(str(petitioner.birth_date), "1949-12-31")
        self.assertEqual(petitioner.gender, "female")  # 17th digit 2: even
        self.assertEqual(self._create(id_number=ID_LI).gender, "male")

    def test_id_number_length_and_characters(self):
        for bad in ("11010519491231002", "11010519491231002XX", "1101051949123100AX"):
            with self.assertRaisesRegex(ValidationError, "18 characters"):
                self._create(id_number=bad)

    def test_id_number_check_digit(self):
        with self.assertRaisesRegex(ValidationError, "check digit"):
            self._create(id_number="110105194912310021")

    def test_id_number_birth_date(self):
        # 1990-02-30 does not exist; the check digit is right for these 17 digits.
        with self.assertRaisesRegex(ValidationError, "real birth date"):
            self._create(id_number="110105199002300013")
        with (
            freeze_time("2020-01-01"),
            self.assertRaisesRegex(ValidationError, "real birth date"),
        ):
            self._create(id_number="440304202005121236")

    def test_phone_numbers(self):
        for good in (
            "13812345678",
            "138 1234 5678",
            "010-12345678",
            "0755-1234567",
            "02584561234",
            "010-12345678-123",
        ):
            self.assertTrue(self._create(phone=good).phone)
        for bad in ("1381234567", "23812345678", "12345678", "010-123", "abc"):
            with self.assertRaisesRegex(ValidationError, "not valid"):
                self._create(phone=bad)

    def test_phone_normalized(self):
        self.assertEqual(self._create(phone="138 1234 5678").phone, "13812345678")
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.zhang.phone = "999"

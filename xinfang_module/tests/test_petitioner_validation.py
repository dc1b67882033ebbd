from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import XinfangCase

# A valid resident ID number of a man (17th digit odd) no fixture uses.
MALE_ID = "110105198001010016"


@tagged("post_install", "-at_install")
class TestPetitionerValidation(XinfangCase):
    def _create(self, **vals):
        return self.env["xinfang.petitioner"].create({"name": "测试", **vals})

    def test_valid_id_number(self):
        petitioner = self._create(id_number=" 11010819491231058x ")
        self.assertEqual(petitioner.id_number, "11010819491231058X")
        self.assertEqual(str(petitioner.birth_date), "1949-12-31")
        self.assertEqual(petitioner.gender, "female")  # 17th digit 2: even
        self.assertEqual(self._create(id_number=MALE_ID).gender, "male")

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
            # Issue 15, item 6: +86, a local number, 400/800 and 95xxx.
            "+86 138 1234 5678",
            "0086-010-12345678",
            "84561234",
            "400-820-8820",
            "8008101234",
            "95588",
        ):
            self.assertTrue(self._create(phone=good).phone)
        for bad in (
            "1381234567",
            "23812345678",
            "1234567",
            "010-123",
            "abc",
            "9558",
            "+1 202 555 0100",
        ):
            with self.assertRaisesRegex(ValidationError, "not valid"):
                self._create(phone=bad)

    def test_phone_normalized(self):
        self.assertEqual(self._create(phone="138 1234 5678").phone, "13812345678")
        # The same mobile with +86 is the same number (repeats find it).
        self.assertEqual(self._create(phone="+86 13812345678").phone, "13812345678")
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.zhang.phone = "999"


@tagged("post_install", "-at_install", "xinfang_security")
class TestIdentityDocuments(XinfangCase):
    """Issue 15, item 6: the identity documents an office sees, each with
    its own check; one ID number is one person; a gender the ID contradicts
    is a warning."""

    def _create(self, id_type, id_number, **vals):
        return self.env["xinfang.petitioner"].create(
            {"name": "测试", "id_type": id_type, "id_number": id_number, **vals}
        )

    def test_documents_valid_and_invalid(self):
        samples = {
            # type: (valid, invalid)
            "resident_15": (["110105491231002"], ["11010549123100", "110105491331002"]),
            "residence_permit": (
                ["810000199408230021"],
                ["110105194912310021", "810000199408230022"],
            ),
            "hk_macao": (["H12345678", "M1234567801"], ["H1234567", "X12345678"]),
            "taiwan": (["12345678", "1234567890"], ["1234567", "T1234567"]),
            "foreigner": (
                ["USA123456789012", "911000197001010014"],
                ["US1234567890", "811000197001010010"],
            ),
            "passport": (["E12345678", "G1234567"], ["E12", "E-1234567"]),
        }
        for id_type, (valid, invalid) in samples.items():
            for number in valid:
                with self.subTest(id_type=id_type, number=number):
                    self.assertTrue(self._create(id_type, number).id)
            for number in invalid:
                with (
                    self.subTest(id_type=id_type, number=number),
                    self.assertRaises(ValidationError),
                ):
                    self._create(id_type, number)
        # The old 15-digit number dates 19YY and gives the gender by its last
        # digit (2: a woman).
        old = self.env["xinfang.petitioner"].search(
            [("id_number", "=", "110105491231002")]
        )
        self.assertEqual(str(old.birth_date), "1949-12-31")
        self.assertEqual(old.gender, "female")
        # A passport says nothing of either.
        passport = self.env["xinfang.petitioner"].search(
            [("id_number", "=", "E12345678")]
        )
        self.assertFalse(passport.birth_date)

    def test_one_id_number_one_person(self):
        Petitioner = self.env["xinfang.petitioner"].with_user(self.registrar)
        with self.assertRaisesRegex(ValidationError, "张建华"):
            Petitioner.create({"name": "张建华", "id_number": self.zhang.id_number})
        # The same number as another document is another person.
        self.assertTrue(
            Petitioner.create(
                {
                    "name": "张建华",
                    "id_type": "passport",
                    "id_number": "E12345678",
                }
            )
        )
        # A whistle-blower the desk may not read is neither named nor hinted
        # at: the desk's record is made, the office sees both.
        whistleblower = self.env["xinfang.petitioner"].create(
            {"name": "举报人", "id_number": "110108197005051231"}
        )
        self._petition(
            whistleblower, self.cat_accusation, subject="举报", state="pending"
        )
        self.assertFalse(whistleblower.with_user(self.registrar).has_access("read"))
        twin = Petitioner.create({"name": "某人", "id_number": "110108197005051231"})
        self.assertTrue(twin.id)
        # The office finds the two to merge them; the desk sees its own only.
        same = [
            ("same_id_number", "=", True),
            ("id_number", "=", "110108197005051231"),
        ]
        self.assertEqual(
            self.env["xinfang.petitioner"].search(same), whistleblower | twin
        )
        self.assertEqual(Petitioner.search(same), twin)

    def test_gender_against_the_id_number(self):
        petitioner = self._create("resident", MALE_ID)
        self.assertEqual(petitioner.gender, "male")
        self.assertFalse(petitioner.gender_mismatch)
        petitioner.gender = "female"
        self.assertTrue(petitioner.gender_mismatch)
        warning = petitioner._onchange_gender()
        self.assertIn("warning", warning)

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    xinfang_collective_threshold = fields.Integer(
        string="Collective Petition Threshold",
        default=5,
        help="A petition brought by at least this many people is collective "
        "(集体访). The 2022 regulation says 5; some rule sets say 3.",
    )
    xinfang_repeat_window_days = fields.Integer(
        string="Repeat Detection Window (days)",
        default=90,
        help="On registration, items of the same petitioner registered within "
        "this many days, or still open, are shown as possible repeats.",
    )
    xinfang_repeat_similarity = fields.Integer(
        string="Repeat Subject Similarity (%)",
        default=50,
        help="How alike two subjects must be (0-100) for an item to be shown "
        "as a possible repeat.",
    )

    _sql_constraints = [
        (
            "xinfang_collective_threshold_positive",
            "CHECK(xinfang_collective_threshold >= 2)",
            "The collective petition threshold must be at least 2 people.",
        ),
        (
            "xinfang_repeat_window_days_positive",
            "CHECK(xinfang_repeat_window_days >= 0)",
            "The repeat detection window cannot be negative.",
        ),
        (
            "xinfang_repeat_similarity_range",
            "CHECK(xinfang_repeat_similarity BETWEEN 0 AND 100)",
            "The repeat subject similarity must be between 0 and 100.",
        ),
    ]

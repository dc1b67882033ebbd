from . import test_petition_registration
from . import test_petitioner_validation
from . import test_petition_repeat
from . import test_petition_security
from . import test_petition_ui
from . import test_i18n
from . import test_demo

from . import xinfang_repeat_wizard
from . import xinfang_petition_dialogs
from . import xinfang_reception_generator
from . import xinfang_petition_correction
from . import xinfang_setup_wizard
from . import xinfang_statistics_wizard
from . import xinfang_register_wizard
from . import xinfang_query_code_wizard

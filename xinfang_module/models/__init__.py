from . import res_company
from . import res_config_settings
from . import res_users
from . import hr_department
from . import xinfang_category
from . import xinfang_petitioner
from . import xinfang_petition

from . import xinfang_repeat_wizard

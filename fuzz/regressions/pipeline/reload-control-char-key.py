# RL303 positive: a star import limited by __all__; the reload goes through sys.modules["st_all"].
import importlib
import sys

from st_all import *  # expect: RL303

importlib.reload(sys.modules[st_all"])
assert parse is not sys.modules["st_all"].parse  # noqa: F405

import importlib, sys
importlib.reload(sys.modules[""])

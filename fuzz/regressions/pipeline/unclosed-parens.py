import importlib, m
x = ((((((((((((((((((((((((((((((((((((((((
importlib.reload(m)

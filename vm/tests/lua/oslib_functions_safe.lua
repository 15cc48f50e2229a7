for _, k in ipairs({"clock", "date", "difftime", "time", "getenv", "exit", "remove", "rename", "tmpname", "execute", "setlocale"}) do
  print(k, type(os[k]))
end
print(os.getenv("SELENITE_SURELY_UNDEFINED_VARIABLE_12345"))
print(pcall(os.getenv))
print(pcall(os.getenv, {}))

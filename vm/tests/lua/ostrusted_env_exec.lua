-- os.getenv, os.execute, os.setlocale.
print(os.getenv("SELENITE_SURELY_UNSET"))
print(os.getenv("SELENITE_SURELY_UNSET_=x"))
print(pcall(os.getenv))
print(pcall(os.getenv, {}))
print(type(os.getenv("PATH")))

print(os.execute())
print(os.execute("true"))
print(os.execute("exit 3"))
print(os.execute("exit 255"))
print(os.execute("kill -9 $$"))
print(os.execute("kill -15 $$"))
print(os.execute("false"))
print(os.execute("nonexistent-selenite-command 2>/dev/null"))
print(pcall(os.execute, {}))

print(os.setlocale())
print(os.setlocale("C"))
print(os.setlocale("POSIX"))
print(os.setlocale(nil, "numeric"))
print(os.setlocale("C", "time"))
print(os.setlocale("xx_YY.nonexistent"))
print(pcall(os.setlocale, "C", "bogus"))
print(pcall(os.setlocale, {}))
for _, k in ipairs({"execute", "exit", "getenv", "remove", "rename", "setlocale", "tmpname"}) do
  io.write(k, "=", type(os[k]), " ")
end
print()

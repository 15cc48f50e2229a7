-- require of module files next to the script (in modules/), package.loaded.
package.path = "./modules/?.lua;./modules/?/init.lua"
package.cpath = ""
local m, file = require("pkgtest_mod")
print(m.name, m.value, file)
print(require("pkgtest_mod") == m, select("#", require("pkgtest_mod")))
print(package.loaded.pkgtest_mod == m)
print(require("pkgtest"))
print(require("pkgtest.sub.leaf")())
print(require("pkgtest_noreturn"), pkgtest_noreturn_ran)
print(require("pkgtest_noreturn"), pkgtest_noreturn_ran, package.loaded.pkgtest_noreturn)
print(require("pkgtest_setsloaded"))
print(require("pkgtest_false"), package.loaded.pkgtest_false)
-- Unloading makes require run the file again.
package.loaded.pkgtest_mod = nil
local m2 = require("pkgtest_mod")
print(m2 ~= m, m2.value)
-- Standard libraries are in package.loaded.
local names = {}
for k in pairs(package.loaded) do
  if not k:find("^pkgtest") then names[#names + 1] = k end
end
table.sort(names)
print(table.concat(names, " "))
print(package.loaded._G == _G, package.loaded.string == string, package.loaded.io == io,
      package.loaded.os == os, package.loaded.debug == debug, package.loaded.package == package,
      package.loaded.coroutine == coroutine, package.loaded.utf8 == utf8,
      package.loaded.math == math, package.loaded.table == table)
print(require("string") == string, require("_G") == _G)
print(package.config)
print(type(package.searchers), #package.searchers, type(package.searchpath),
      type(package.preload), type(package.loadlib), type(package.cpath))

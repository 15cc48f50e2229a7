-- require error messages: not found (with the full list), load and run errors.
package.path = "./modules/?.lua;./modules/?/init.lua;./modules/?/?.lua"
package.cpath = ""
print(pcall(require, "pkgtest_missing"))
print(pcall(require, "pkgtest.missing.deep"))
print(pcall(require, "pkgtest_syntax"))
print(pcall(require, "pkgtest_runtime"))
print(pcall(require))
print(pcall(require, {}))
package.path = ""
print(pcall(require, "x"))
package.path = ";;"
print(pcall(require, "x"))
package.path = 42
print(pcall(require, "x"))
package.path = nil
print(pcall(require, "x"))
package.path = "./modules/?.lua"
package.cpath = 7
print(pcall(require, "x"))
package.cpath = "./?.so"
print(pcall(require, "x.y"))
package.searchers = "no"
print(pcall(require, "x"))
package.searchers = {}
print(pcall(require, "x"))

-- unpacking >8-byte integers checks that the extra bytes are sign/zero fill
print(pcall(string.unpack, "<i9", "\0\0\0\0\0\0\0\0\1"))
print(pcall(string.unpack, "<I9", "\0\0\0\0\0\0\0\0\1"))
print(pcall(string.unpack, "<i9", ("\255"):rep(9)))
print(pcall(string.unpack, "<i9", ("\255"):rep(8) .. "\0"))
print(pcall(string.unpack, ">i10", "\0\0" .. ("\255"):rep(8)))
print(pcall(string.unpack, "<j", ("\255"):rep(8)))
print(pcall(string.unpack, "<J", ("\255"):rep(8)))
print(pcall(string.unpack, "<I9", ("\255"):rep(8) .. "\0"))

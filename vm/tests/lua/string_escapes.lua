print("a\tb", "a\\b", "q\"q", 'q\'q', "nl[\n]")
print(#"\a\b\f\n\r\t\v\\\"\'", string.byte("\a\b\f\n\r\t\v", 1, -1))
print("\65\066\0677", #"\0", #"a\0b", string.byte("\255"), "\x41\x62\x7a")
print("\u{48}\u{49}", #"\u{7FF}", #"\u{FFFF}", #"\u{10FFFF}", #"\u{7FFFFFFF}")
print(string.byte("\u{E9}", 1, -1))
print("line1\z
       line2", "a\z  b")
print("x\
y")
print("\x00\x01\xff" == "\0\1\255")
print(#"\z
")
print("\0123")

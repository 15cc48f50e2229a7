print("\u{48}\u{49}", #"\u{E9}", #"\u{20AC}", #"\u{1F600}")
print("\u{E9}" == utf8.char(0xE9), "\u{1F600}" == utf8.char(0x1F600))
print(utf8.codepoint("\u{10FFFF}"), utf8.len("\u{7FFFFFFF}"), utf8.len("\u{7FFFFFFF}", 1, -1, true))
print(utf8.len("\u{D7FF}\u{E000}"), utf8.len("\u{DFFF}"))

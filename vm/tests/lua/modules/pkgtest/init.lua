print("init of", ...)
return "package dir"

-- os.exit(false) exits with a failure status and no message.
print("exiting")
os.exit(false)

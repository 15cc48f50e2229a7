pkgtest_noreturn_ran = (pkgtest_noreturn_ran or 0) + 1

-- expect: error "instruction limit exceeded"
::top:: goto top

# The median: median(x).

input <- read_input("descriptive")
sets <- lapply(input$sets, function(s) list(name = s$name, median = median(as.numeric(s$x))))
write_expected("descriptive", list(r = R.version.string, sets = sets))

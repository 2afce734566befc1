# Benjamini-Hochberg adjusted p-values: p.adjust(p, "BH"). A missing p-value (NA) stays NA and is
# not counted among the tests.

input <- read_input("multiplicity")
sets <- lapply(input$sets, function(s) {
  p <- if (length(s$p) == 0) numeric(0) else as.numeric(s$p)
  list(name = s$name, q = I(p.adjust(p, "BH")))
})
write_expected("multiplicity", list(r = R.version.string, sets = sets))

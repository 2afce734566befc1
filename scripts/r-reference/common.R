# Shared by the reference scripts: read a committed input, write expected values at full precision.
suppressPackageStartupMessages(library(jsonlite))


read_input <- function(name) {
  fromJSON(file.path(REFERENCE_DIR, "inputs", paste0(name, ".json")), simplifyVector = TRUE, simplifyDataFrame = FALSE)
}

write_expected <- function(name, value) {
  path <- file.path(REFERENCE_DIR, "expected", paste0(name, ".json"))
  # digits = NA keeps 15 significant digits; NA and NaN become null.
  writeLines(toJSON(value, digits = NA, auto_unbox = TRUE, na = "null", null = "null", pretty = TRUE), path)
  cat("wrote", path, "\n")
}

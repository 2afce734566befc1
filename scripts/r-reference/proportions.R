# Proportions: Wilson (prop.test(x, n, correct = FALSE)$conf.int), Clopper-Pearson
# (binom.test(x, n)$conf.int) and Newcombe's hybrid score interval for p1 - p2 (Newcombe,
# Stat Med 1998;17:873, method 10) built from the two prop.test Wilson limits.

input <- read_input("proportions")

wilson <- function(x, n, level) suppressWarnings(prop.test(x, n, correct = FALSE, conf.level = level))$conf.int[1:2]

proportions <- list()
for (i in seq_len(nrow(input$proportions))) {
  x <- input$proportions[i, 1]
  n <- input$proportions[i, 2]
  for (level in input$levels) {
    w <- wilson(x, n, level)
    cp <- binom.test(x, n, conf.level = level)$conf.int
    proportions[[length(proportions) + 1]] <- list(
      x = x, n = n, level = level,
      wilson = list(lower = w[1], upper = w[2]),
      clopperPearson = list(lower = cp[1], upper = cp[2])
    )
  }
}

differences <- list()
for (i in seq_len(nrow(input$differences))) {
  r <- input$differences[i, ]
  for (level in input$levels) {
    p1 <- r[1] / r[2]
    p2 <- r[3] / r[4]
    w1 <- wilson(r[1], r[2], level)
    w2 <- wilson(r[3], r[4], level)
    d <- p1 - p2
    differences[[length(differences) + 1]] <- list(
      x1 = r[1], n1 = r[2], x2 = r[3], n2 = r[4], level = level,
      estimate = d,
      lower = d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2),
      upper = d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2)
    )
  }
}

write_expected("proportions", list(r = R.version.string, proportions = proportions, differences = differences))

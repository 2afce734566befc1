# Funnel-plot limits for a proportion (Spiegelhalter, Stat Med 2005;24:1185, appendix): for
# P = (1 -/+ coverage)/2, r = qbinom(P, n, p0), alpha = (pbinom(r) - P) / (pbinom(r) - pbinom(r - 1)),
# limit = (r - alpha) / n, clamped to [0, 1].

input <- read_input("funnel")
limit <- function(P, n, p0) {
  r <- qbinom(P, n, p0)
  alpha <- (pbinom(r, n, p0) - P) / (pbinom(r, n, p0) - pbinom(r - 1, n, p0))
  min(1, max(0, (r - alpha) / n))
}
cases <- list()
for (p0 in input$p0) for (n in input$n) for (coverage in input$coverage) {
  cases[[length(cases) + 1]] <- list(
    p0 = p0, n = n, coverage = coverage,
    lower = limit((1 - coverage) / 2, n, p0), upper = limit((1 + coverage) / 2, n, p0)
  )
}
write_expected("funnel", list(r = R.version.string, cases = cases))

# Paired change: wilcox.test(d, conf.int = TRUE, conf.level) with R's defaults and t.test(d, conf.level).
#
# In the normal-approximation case wilcox.test finds the interval limits and the estimate with
# uniroot (tol.root = 1e-4), so its values are only good to about 1e-4. The exact quantities they
# approximate are written as lower/upper/estimate, and R's roots as r_lower/r_upper/r_estimate:
# - a limit is where the continuity-corrected statistic W(d) (R's own, in lib-wilcoxon.R) falls
#   below the normal quantile; W is a step function that changes only at Walsh averages, so the
#   limit is the Walsh average at that step. It is found here by bisection over the sorted Walsh
#   averages, evaluating W between neighbours, and checked to lie within the tolerance of R's root;
# - the estimate is the root of the uncorrected W: the median of the Walsh averages (the
#   Hodges-Lehmann estimate), checked to lie within the tolerance of R's root, or, where W is zero
#   on the whole gap between the two middle averages (whose midpoint the median is), checked to
#   share that gap, widened by the tolerance, with R's root.
# In the exact case (n < 50, no ties, no zeros) R's values are exact and written as they are.

source("lib-wilcoxon.R")

input <- read_input("paired")
tol <- 1e-4

wilcoxon_case <- function(d, level) {
  res <- suppressWarnings(wilcox.test(d, conf.int = TRUE, conf.level = level))
  x <- d[d != 0]
  n <- length(x)
  exact <- grepl("exact", res$method)
  out <- list(
    n = n, zeros = sum(d == 0), statistic = unname(res$statistic), p = res$p.value, exact = exact,
    level = attr(res$conf.int, "conf.level"),
    estimate = unname(res$estimate), lower = res$conf.int[1], upper = res$conf.int[2],
    r_estimate = unname(res$estimate), r_lower = res$conf.int[1], r_upper = res$conf.int[2]
  )
  if (exact || n == 0 || !is.finite(res$conf.int[1])) return(out)
  w <- walsh_averages(x)
  out$estimate <- median(w)
  m <- length(w)
  if (m %% 2 == 1 || w[m / 2] == w[m / 2 + 1]) {
    stopifnot(abs(out$r_estimate - out$estimate) <= tol)
  } else {
    # uniroot stops at the first point where W is zero, or once within tol of where it changes sign.
    stopifnot(out$r_estimate >= w[m / 2] - tol, out$r_estimate <= w[m / 2 + 1] + tol)
  }
  alpha <- 1 - out$level
  if (out$level > 0) {
    out$lower <- crossing(x, w, qnorm(alpha / 2, lower.tail = FALSE))
    out$upper <- crossing(x, w, qnorm(alpha / 2))
    stopifnot(abs(out$r_lower - out$lower) <= tol, abs(out$r_upper - out$upper) <= tol)
  }
  out
}

t_case <- function(d, level) {
  res <- tryCatch(t.test(d, conf.level = level), error = function(e) conditionMessage(e))
  if (is.character(res)) return(list(error = res, mean = mean(d)))
  list(
    n = length(d), mean = unname(res$estimate), sd = sd(d), se = res$stderr, df = unname(res$parameter),
    t = unname(res$statistic), p = res$p.value, lower = res$conf.int[1], upper = res$conf.int[2]
  )
}

cases <- list()
for (ds in input$datasets) {
  for (level in input$levels) {
    cases[[length(cases) + 1]] <- list(
      name = ds$name, level = level,
      wilcoxon = wilcoxon_case(ds$d, level),
      t = t_case(ds$d, level)
    )
  }
}
write_expected("paired", list(r = R.version.string, tolerance = tol, cases = cases))

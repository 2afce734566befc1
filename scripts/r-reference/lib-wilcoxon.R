# Shared by paired.R and cohort-stats.R: the pieces of wilcox.test's normal-approximation case that
# the reference scripts use to write the exact quantities R's uniroot (tol 1e-4) approximates.

# W from stats:::wilcox.test.default (R 4.2.2), two-sided, digits.rank = Inf: the standardised
# signed-rank statistic of x − d, continuity-corrected when `correct`.
W <- function(x, d, correct) {
  xd <- x - d
  xd <- xd[xd != 0]
  nx <- length(xd)
  dr <- rank(abs(xd))
  zd <- sum(dr[xd > 0]) - nx * (nx + 1) / 4
  ties <- table(dr)
  sigma <- sqrt(nx * (nx + 1) * (2 * nx + 1) / 24 - sum(ties^3 - ties) / 48)
  (zd - if (correct) sign(zd) * 0.5 else 0) / sigma
}

# The Walsh averages (x_i + x_j) / 2, i <= j, ascending.
walsh_averages <- function(x) {
  s <- outer(x, x, `+`)
  sort(s[!lower.tri(s)]) / 2
}

# The Walsh average at which W(., correct = TRUE) falls below q: W is a step function that changes
# only at Walsh averages, so bisect over the sorted distinct averages, evaluating W between neighbours.
crossing <- function(x, w, q) {
  u <- unique(w)
  below_after <- function(i) W(x, if (i < length(u)) (u[i] + u[i + 1]) / 2 else u[i] + 1, TRUE) < q
  lo <- 1
  hi <- length(u)
  while (lo < hi) {
    mid <- (lo + hi) %/% 2
    if (below_after(mid)) hi <- mid else lo <- mid + 1
  }
  u[lo]
}

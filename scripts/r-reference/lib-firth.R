# Firth-penalised logistic regression written out from its definition (Firth 1993; Heinze &
# Schemper, Stat Med 2002;21:2409), for the profile penalised-likelihood interval and the penalised
# likelihood-ratio p-value, which brglm2 does not report in this form. Sourced by the reference
# scripts (regression.R, the trigger and cohort scripts); not run on its own. Entry points:
# firth_fit(X, y) -> list(beta, penloglik) and firth_profile(X, y, j, level, fit) ->
# list(lower, upper, p, loglik), j 1-based.
#
#   l*(beta) = sum(y log(pi) + (1 - y) log(1 - pi)) + 1/2 log det(X' W X),   W = diag(pi (1 - pi))
#
# The profile of coefficient j fixes beta_j = b and maximises l* over the other coefficients, with
# the penalty taken from the full X' W X (as logistf does). Interval: all b with
# 2 (l*(beta_hat) - profile(b)) <= qchisq(level, 1); p = P(chi^2_1 > 2 (l*(beta_hat) - profile(0))).

# Penalised log-likelihood, from plogis and the determinant (no hat values involved).
firth_penloglik <- function(X, y, beta) {
  eta <- drop(X %*% beta)
  pi <- plogis(eta)
  loglik <- sum(y * plogis(eta, log.p = TRUE) + (1 - y) * plogis(eta, lower.tail = FALSE, log.p = TRUE))
  info <- crossprod(X * sqrt(pi * (1 - pi)))
  loglik + 0.5 * as.numeric(determinant(info, logarithm = TRUE)$modulus)
}

# Gradient of l* (Firth's modified score): X' (y - pi + h (1/2 - pi)), h the hat values of the
# weighted design, taken here from its QR decomposition.
firth_score <- function(X, y, beta) {
  pi <- plogis(drop(X %*% beta))
  q <- qr.Q(qr(X * sqrt(pi * (1 - pi))))
  h <- rowSums(q^2)
  drop(crossprod(X, y - pi + h * (0.5 - pi)))
}

# Maximises l* over the coefficients in `free` (the others stay at their value in `beta`):
# Newton steps with the Fisher information, at most 5 in any coordinate, halved while l* falls, and
# halved once steps stop shrinking (the Fisher information can understate the curvature of l*, and
# the undamped iteration then cycles).
firth_maximise <- function(X, y, beta, free = seq_len(ncol(X)), tol = 1e-13, maxit = 2000) {
  current <- firth_penloglik(X, y, beta)
  if (length(free) == 0) {
    return(list(beta = beta, penloglik = current))
  }
  last <- Inf
  for (it in seq_len(maxit)) {
    pi <- plogis(drop(X %*% beta))
    info <- crossprod(X * sqrt(pi * (1 - pi)))
    step <- solve(info[free, free, drop = FALSE], firth_score(X, y, beta)[free])
    if (max(abs(step)) > 5) step <- step * 5 / max(abs(step))
    if (max(abs(step)) < tol) {
      return(list(beta = beta, penloglik = current))
    }
    size <- max(abs(step))
    if (it > 5 && size > 0.5 * last) step <- step / 2
    last <- size
    for (halving in 0:60) {
      trial <- beta
      trial[free] <- beta[free] + step
      value <- firth_penloglik(X, y, trial)
      if (is.finite(value) && value >= current - 1e-12 * abs(current)) break
      step <- step / 2
    }
    beta <- trial
    current <- value
  }
  stop("firth_maximise: no convergence")
}

# Profile of coefficient j at b: the maximum of l* with beta_j = b, as list(beta, penloglik). In
# small samples with several covariates l* can have more than one local maximum in the other
# coefficients, so the maximisation starts from the estimate, from the estimate moved along the
# linear profile trace and from any further `starts` (other maxima), keeping the highest.
firth_profile_at <- function(X, y, fit, j, b, starts = list()) {
  free <- setdiff(seq_len(ncol(X)), j)
  pi <- plogis(drop(X %*% fit$beta))
  sigma <- solve(crossprod(X * sqrt(pi * (1 - pi))))
  starts <- c(list(fit$beta, fit$beta + sigma[, j] / sigma[j, j] * (b - fit$beta[j])), starts)
  best <- NULL
  for (start in starts) {
    found <- firth_maximise(X, y, replace(start, j, b), free)
    if (is.null(best) || found$penloglik > best$penloglik) best <- found
  }
  best
}

# The full fit by firth_maximise; returns list(beta, penloglik).
firth_fit <- function(X, y) {
  firth_maximise(X, y, rep(0, ncol(X)))
}

# Profile penalised-likelihood interval and penalised LR p-value of coefficient j (1-based).
# Returns list(lower, upper, p, loglik) where loglik is l* at the maximum. The profile is followed
# from the estimate in steps of a tenth of the standard error, each maximum started also from the
# one before (so the maximum followed is not lost to a lower local one); an end is then found by
# uniroot(tol = 1e-12) within the step where the profile crosses the cut-off.
firth_profile <- function(X, y, j, level = 0.95, fit = firth_fit(X, y)) {
  cutoff <- qchisq(level, 1)
  pi <- plogis(drop(X %*% fit$beta))
  se <- sqrt(solve(crossprod(X * sqrt(pi * (1 - pi))))[j, j])
  deviance <- function(found) 2 * (fit$penloglik - found$penloglik)
  end <- function(direction) {
    previous <- fit
    repeat {
      b <- previous$beta[j] + direction * se / 10
      found <- firth_profile_at(X, y, fit, j, b, list(previous$beta))
      if (deviance(found) > cutoff) break
      previous <- found
    }
    crossing <- function(x) deviance(firth_profile_at(X, y, fit, j, x, list(previous$beta, found$beta))) - cutoff
    uniroot(crossing, sort(c(previous$beta[j], b)), tol = 1e-12, maxiter = 1000)$root
  }
  # the profile at 0, followed from the estimate in the same steps
  at_zero <- fit
  steps <- ceiling(abs(fit$beta[j]) / (se / 10))
  for (b in rev(seq_len(steps) - 1) / steps * fit$beta[j]) {
    at_zero <- firth_profile_at(X, y, fit, j, b, list(at_zero$beta))
  }
  list(
    lower = end(-1),
    upper = end(1),
    p = pchisq(max(0, deviance(at_zero)), 1, lower.tail = FALSE),
    loglik = fit$penloglik
  )
}

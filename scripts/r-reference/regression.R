# Reference values for src/stats/regression.ts.
# Firth logistic regression: estimates, standard errors and Wald values from brglm2
# (glm(..., method = "brglmFit", type = "AS_mean"), which for the logit link is Firth's estimator);
# the profile penalised-likelihood interval and the penalised LR p-value from lib-firth.R, which
# computes them from their definition. Negative binomial regression: MASS::glm.nb with an offset.
suppressPackageStartupMessages({
  library(brglm2)
  library(MASS)
})
source("lib-firth.R")

firth_reference <- function(name) {
  input <- read_input(name)
  X <- as.matrix(input$design)
  y <- input$y
  level <- input$level
  fit <- glm(y ~ X - 1,
    family = binomial, method = "brglmFit", type = "AS_mean",
    control = brglmControl(epsilon = 1e-12, maxit = 200)
  )
  table <- coef(summary(fit))
  wald <- confint.default(fit, level = level)
  own <- firth_fit(X, y)
  # The penalised likelihood written out in lib-firth.R has its maximum where brglm2 puts it.
  stopifnot(max(abs(own$beta - coef(fit)) / pmax(1, abs(coef(fit)))) < 1e-9)
  # Its gradient is the modified score: compare with central differences at a point off the maximum.
  probe <- coef(fit) + 0.1
  numeric <- sapply(seq_len(ncol(X)), function(k) {
    e <- replace(numeric(ncol(X)), k, 1e-5)
    (firth_penloglik(X, y, probe + e) - firth_penloglik(X, y, probe - e)) / 2e-5
  })
  stopifnot(max(abs(numeric - firth_score(X, y, probe))) < 1e-6 * max(1, abs(numeric)))
  columns <- input$profile + 1
  profile <- vector("list", ncol(X))
  p <- rep(NA_real_, ncol(X))
  for (j in columns) {
    result <- firth_profile(X, y, j, level, own)
    profile[[j]] <- list(lower = result$lower, upper = result$upper)
    p[j] <- result$p
  }
  # I() keeps one-coefficient results as arrays in the JSON.
  write_expected(name, list(
    coefficients = I(unname(coef(fit))),
    standardErrors = I(unname(table[, "Std. Error"])),
    wald = lapply(seq_len(ncol(X)), function(k) list(lower = unname(wald[k, 1]), upper = unname(wald[k, 2]))),
    waldP = I(unname(table[, "Pr(>|z|)"])),
    profile = profile,
    p = I(p),
    penalizedLogLik = firth_penloglik(X, y, coef(fit))
  ))
}

for (name in c(
  "regression-firth-ordinary", "regression-firth-complete-separation",
  "regression-firth-quasi-separation", "regression-firth-zero-cell", "regression-firth-rare-exposure",
  "regression-firth-trigger", "regression-firth-trigger-adjusted", "regression-firth-n10",
  "regression-firth-intercept-only", "regression-firth-cohort", "regression-firth-several-maxima"
)) {
  firth_reference(name)
}

negative_binomial_reference <- function(name) {
  input <- read_input(name)
  X <- as.matrix(input$design)
  y <- input$y
  o <- input$offset
  fit <- glm.nb(y ~ X - 1 + offset(o), control = glm.control(epsilon = 1e-14, maxit = 100))
  stopifnot(fit$converged)
  table <- coef(summary(fit))
  write_expected(name, list(
    coefficients = I(unname(coef(fit))),
    standardErrors = I(unname(table[, "Std. Error"])),
    z = I(unname(table[, "z value"])),
    p = I(unname(table[, "Pr(>|z|)"])),
    theta = fit$theta,
    thetaStdErr = fit$SE.theta,
    twiceLogLik = fit$twologlik
  ))
}

for (name in c("regression-nb-overdispersed", "regression-nb-small")) {
  negative_binomial_reference(name)
}

# Counts without overdispersion: glm.nb's theta runs off towards infinity (theta.ml warns "iteration
# limit reached"). Relief then reports the Poisson limit, compared here with glm(family = poisson).
poisson_limit_reference <- function(name) {
  input <- read_input(name)
  X <- as.matrix(input$design)
  y <- input$y
  o <- input$offset
  diverging <- suppressWarnings(glm.nb(y ~ X - 1 + offset(o), control = glm.control(epsilon = 1e-14, maxit = 100)))
  stopifnot(diverging$theta > 1e6)
  fit <- glm(y ~ X - 1 + offset(o), family = poisson, control = glm.control(epsilon = 1e-14, maxit = 100))
  table <- coef(summary(fit))
  write_expected(name, list(
    coefficients = I(unname(coef(fit))),
    standardErrors = I(unname(table[, "Std. Error"])),
    z = I(unname(table[, "z value"])),
    p = I(unname(table[, "Pr(>|z|)"])),
    twiceLogLik = 2 * as.numeric(logLik(fit))
  ))
}

poisson_limit_reference("regression-nb-poisson-limit")

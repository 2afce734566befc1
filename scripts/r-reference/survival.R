# Reference values for src/stats/survival.ts (R survival 3.5-3):
#   Kaplan–Meier: survfit(Surv(time, event) ~ 1, conf.type = "log", conf.int = level), every distinct
#     time (as summary(fit, censored = TRUE)); the median and its interval as print.survfit shows
#     them (summary(fit)$table), and quantile.survfit's median for comparison.
#   Log-rank: survdiff(Surv(time, event) ~ group) (rho = 0).
#   Cox: coxph(Surv(time, event) ~ x1 + ..., ties = "efron", control = coxph.control(eps = 1e-12, iter.max = 100)).
# Inputs: test/stats/reference/inputs/survival-*.json. survival-simulated.json is written here first
# from a fixed seed (whole-day times, so with many ties).
suppressPackageStartupMessages(library(survival))
stopifnot(packageVersion("survival") == "3.5.3")

# jsonlite writes Inf as null; survfit's std.err is Inf where the curve reaches 0, so keep it apart.
with_infinity <- function(x) lapply(x, function(v) if (is.infinite(v)) (if (v > 0) "Inf" else "-Inf") else v)

write_simulated_input <- function() {
  set.seed(20240505)
  n <- 400
  group <- sample(1:3, n, replace = TRUE, prob = c(0.5, 0.3, 0.2))
  age <- round(rnorm(n, 45, 12), 1)
  female <- rbinom(n, 1, 0.7)
  rate <- 0.004 * exp(0.02 * (age - 45) - 0.4 * female + c(0, 0.35, -0.25)[group])
  relapse <- rexp(n, rate)
  follow_up <- runif(n, 30, 730)
  time <- ceiling(pmin(relapse, follow_up))
  event <- as.integer(relapse <= follow_up)
  input <- list(
    description = paste(
      "Simulated durability cohort (scripts/r-reference/survival.R, set.seed(20240505)):",
      "whole days to relapse or censoring, group 1..3, covariates age and female (0/1)."
    ),
    time = time, event = event, group = group, covariates = unname(split(cbind(age, female), seq_len(n)))
  )
  path <- file.path(REFERENCE_DIR, "inputs", "survival-simulated.json")
  writeLines(toJSON(input, digits = NA, auto_unbox = TRUE, pretty = TRUE), path)
  cat("wrote", path, "\n")
}

kaplan_meier <- function(time, event, level) {
  fit <- survfit(Surv(time, event) ~ 1, conf.type = "log", conf.int = level)
  table <- summary(fit)$table
  q <- quantile(fit, probs = 0.5, conf.int = TRUE)
  list(
    n = fit$n, events = sum(fit$n.event),
    time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event, n_censor = fit$n.censor,
    surv = fit$surv, std_err = with_infinity(fit$std.err), lower = fit$lower, upper = fit$upper,
    median = list(
      estimate = unname(table["median"]),
      lower = unname(table[paste0(level, "LCL")]),
      upper = unname(table[paste0(level, "UCL")])
    ),
    quantile_median = list(estimate = unname(q$quantile), lower = unname(q$lower), upper = unname(q$upper))
  )
}

log_rank <- function(time, event, group) {
  test <- survdiff(Surv(time, event) ~ factor(group))
  with_expected <- sum(test$exp > 0)
  list(
    chi_square = test$chisq, df = with_expected - 1, p = test$pvalue,
    observed = test$obs, expected = test$exp, variance = unname(split(test$var, row(test$var)))
  )
}

# coxph.control warns that its Cholesky tolerance (1.8e-12) is not below eps; it only decides when a
# column counts as redundant, which none here is.
control <- suppressWarnings(coxph.control(eps = 1e-12, iter.max = 100))

# `covariates` holds one row per observation (jsonlite reads the rows as a matrix).
chi_square_test <- function(statistic, df) {
  list(chi_square = unname(statistic), df = df, p = pchisq(unname(statistic), df, lower.tail = FALSE))
}

# A coefficient is NA where its information vanishes at the fit (R's vcov then holds 0 for it: NA
# here too). `infinite` marks the variables of coxph.fit's warning "Loglik converged before
# variable j; coefficient may be infinite"; degrees of freedom count the coefficients that are not NA.
cox <- function(time, event, covariates, level) {
  x <- as.matrix(covariates)
  warned <- integer(0)
  fit <- withCallingHandlers(
    coxph(Surv(time, event) ~ x, ties = "efron", control = control),
    warning = function(w) {
      message <- conditionMessage(w)
      stopifnot(grepl("^Loglik converged before variable", message))
      warned <<- as.integer(strsplit(sub(".*variable +([0-9, ]+) ;.*", "\\1", message), " *, *")[[1]])
      invokeRestart("muffleWarning")
    }
  )
  s <- summary(fit, conf.int = level)
  coefficients <- unname(coef(fit))
  se <- ifelse(is.na(coefficients), NA, unname(sqrt(diag(vcov(fit)))))
  df <- sum(!is.na(coefficients))
  list(
    coefficients = coefficients, standard_errors = se, hazard_ratios = exp(coefficients),
    lower = unname(s$conf.int[, 3]), upper = unname(s$conf.int[, 4]),
    z = unname(s$coefficients[, 4]), p = unname(s$coefficients[, 5]),
    log_lik_null = fit$loglik[1], log_lik = fit$loglik[2],
    # summary() rounds the Wald statistic to 2 decimals, so the tests are taken from the fit itself.
    likelihood_ratio = chi_square_test(-2 * (fit$loglik[1] - fit$loglik[2]), df),
    wald = chi_square_test(fit$wald.test, df),
    score = chi_square_test(fit$score, df),
    iterations = fit$iter,
    infinite = seq_along(coefficients) %in% warned
  )
}

write_simulated_input()

km_cases <- read_input("survival-kaplan-meier")$cases
write_expected("survival-kaplan-meier", lapply(km_cases, function(c) kaplan_meier(c$time, c$event, c$level)))

lr_cases <- read_input("survival-log-rank")$cases
write_expected("survival-log-rank", lapply(lr_cases, function(c) log_rank(c$time, c$event, c$group)))

cox_cases <- read_input("survival-cox")$cases
write_expected("survival-cox", lapply(cox_cases, function(c) cox(c$time, c$event, c$covariates, c$level)))

sim <- read_input("survival-simulated")
write_expected("survival-simulated", list(
  kaplan_meier = lapply(1:3, function(g) {
    keep <- sim$group == g
    kaplan_meier(sim$time[keep], sim$event[keep], 0.95)
  }),
  kaplan_meier_all = kaplan_meier(sim$time, sim$event, 0.95),
  log_rank = log_rank(sim$time, sim$event, sim$group),
  cox_age_female = cox(sim$time, sim$event, sim$covariates, 0.95),
  cox_female = cox(sim$time, sim$event, sim$covariates[, 2, drop = FALSE], 0.95)
))

points <- read_input("survival-chi-square")$points
write_expected("survival-chi-square", lapply(points, function(p) pchisq(p$x, p$df, lower.tail = FALSE)))

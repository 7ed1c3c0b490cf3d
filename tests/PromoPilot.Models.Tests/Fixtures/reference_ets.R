# Reference values for tests/PromoPilot.Models.Tests/Forecasting/EtsReferenceTests.cs.
# Fits forecast::ets with fixed types on series that ship with R (datasets: AirPassengers, UKgas, Nile) and with the
# forecast package (wineind, woolyrnq), with forecast()'s default intervals and simulated ones (simulate = TRUE,
# 20,000 paths), runs the automatic selection, and croston() on a seeded intermittent series.
# Run from this folder:  Rscript reference_ets.R   (R 4.2, forecast 8.20 from Debian r-cran-forecast; writes reference_ets.json)
suppressPackageStartupMessages({ library(forecast); library(jsonlite) })

series <- list(
  AirPassengers = AirPassengers,
  UKgas = UKgas,
  wineind = wineind,
  woolyrnq = woolyrnq,
  Nile = Nile
)
fixed <- list(
  AirPassengers = c("MAM", "AAA", "MNM", "ANN"),
  UKgas = c("MAM", "AAA", "MNA", "AAdA"),
  wineind = c("MNM", "ANA", "MAdM"),
  woolyrnq = c("ANA", "MNA", "AAN"),
  Nile = c("ANN", "MNN", "AAdN", "MAN")
)

fit_case <- function(name, y, code) {
  damped <- nchar(code) == 4
  model <- gsub("d", "", code)
  fit <- ets(y, model = model, damped = damped)
  m <- frequency(y)
  x0 <- fit$states[1, ]
  season <- substr(code, nchar(code), nchar(code))
  seasonal <- if (season == "N") numeric(0) else rev(as.numeric(x0[paste0("s", 1:m)]))
  h <- if (m > 1) 2 * m else 10
  fc <- forecast(fit, h = h, level = c(80, 95))
  set.seed(20240612)
  sim <- forecast(fit, h = h, level = c(80, 95), simulate = TRUE, npaths = 20000)
  par <- fit$par
  get <- function(k, default) if (k %in% names(par)) unname(par[k]) else default
  list(
    series = name, type = code, period = m,
    alpha = get("alpha", 0), beta = get("beta", 0), gamma = get("gamma", 0),
    phi = if (damped) get("phi", 1) else if (substr(code, 2, 2) == "N") 0 else 1,
    level = unname(x0["l"]), slope = if ("b" %in% names(x0)) unname(x0["b"]) else 0,
    seasonal = seasonal,
    loglik = fit$loglik, aic = fit$aic, aicc = fit$aicc, bic = fit$bic, sigma2 = fit$sigma2,
    horizon = h, mean = as.numeric(fc$mean),
    lower80 = as.numeric(fc$lower[, 1]), upper80 = as.numeric(fc$upper[, 1]),
    lower95 = as.numeric(fc$lower[, 2]), upper95 = as.numeric(fc$upper[, 2]),
    sim_lower80 = as.numeric(sim$lower[, 1]), sim_upper80 = as.numeric(sim$upper[, 1]),
    sim_lower95 = as.numeric(sim$lower[, 2]), sim_upper95 = as.numeric(sim$upper[, 2])
  )
}

# AICc of every type the default search tries, to tell a clear choice from a near tie
all_types <- function(y) {
  m <- frequency(y)
  out <- list()
  for (e in c("A", "M")) for (t in c("N", "A", "Ad")) for (s in c("N", "A", "M")) {
    if (e == "A" && s == "M") next
    if (s != "N" && m == 1) next
    code <- paste0(e, t, s)
    fit <- tryCatch(ets(y, model = paste0(e, substr(t, 1, 1), s), damped = nchar(t) == 2), error = function(err) NULL)
    if (!is.null(fit)) out[[code]] <- fit$aicc
  }
  out
}

cases <- list()
auto <- list()
for (name in names(series)) {
  y <- series[[name]]
  for (code in fixed[[name]]) cases[[length(cases) + 1]] <- fit_case(name, y, code)
  a <- ets(y)
  code <- sub("^ETS\\(([A-Z]),([A-Za-z]+),([A-Z])\\)$", "\\1\\2\\3", a$method)
  auto[[name]] <- list(chosen = code, aicc = a$aicc, candidates = all_types(y))
}

set.seed(20240610)
intermittent <- rbinom(60, 1, 0.3) * rpois(60, 4)
cr <- croston(intermittent, h = 5, alpha = 0.1)

out <- list(
  generator = "Rscript reference_ets.R (R 4.2, forecast 8.20)",
  series = lapply(series, function(y) list(period = frequency(y), values = as.numeric(y))),
  fixed = cases,
  auto = auto,
  croston = list(values = intermittent, alpha = 0.1, mean = as.numeric(cr$mean))
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(15), pretty = TRUE), "reference_ets.json")

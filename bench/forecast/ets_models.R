# Per-series dump of forecast::ets on the issue-10 protocol (store x brand weekly units, gap-free tail of >= 52 weeks,
# last H weeks held out): the selected type, its parameters, log-likelihood and AICc, and the AICc of every candidate
# type fitted alone (ets(model = ..., damped = ...)), to compare with `promopilot forecast eval --method ets --dump-models`.
# Usage: Rscript bench/forecast/ets_models.R ../shared/data/dominicks_oj [H] [out.csv]
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "../shared/data/dominicks_oj"
H <- if (length(args) >= 2) as.integer(args[2]) else 12L
out <- if (length(args) >= 3) args[3] else "ets_models_r.csv"
d <- read.csv(gzfile(file.path(dir, "oj_yx.csv.gz")))
d <- d[order(d$store, d$brand, d$week), ]
rows <- list()
types <- list(ANN = c("ANN", FALSE), AAN = c("AAN", FALSE), AAdN = c("AAN", TRUE), MNN = c("MNN", FALSE), MAN = c("MAN", FALSE), MAdN = c("MAN", TRUE))
for (key in split(d, list(d$store, d$brand), drop = TRUE)) {
  w <- key$week; last <- max(w); first <- last
  while ((first - 1) %in% w) first <- first - 1
  if (last - first + 1 < 52) next
  k <- key[key$week >= first, ]
  y <- exp(k$logmove); nn <- length(y)
  train <- ts(y[1:(nn - H)]); test <- y[(nn - H + 1):nn]
  fit <- ets(train)
  fc <- forecast(fit, h = H)
  p <- fit$par
  g <- function(name) if (name %in% names(p)) unname(p[name]) else NA
  row <- data.frame(store = k$store[1], brand = k$brand[1], n = length(train),
    model = gsub("[(),]", "", sub("^ETS\\((.*)\\)$", "\\1", fit$method)),
    alpha = g("alpha"), beta = g("beta"), phi = g("phi"), l = g("l"), b = g("b"),
    loglik = fit$loglik, aicc = fit$aicc, abs_err = sum(abs(test - fc$mean)), abs_act = sum(abs(test)), f1 = fc$mean[1])
  for (t in names(types)) {
    f <- try(ets(train, model = types[[t]][1], damped = as.logical(types[[t]][2])), silent = TRUE)
    row[[paste0("aicc_", t)]] <- if (inherits(f, "try-error")) NA else f$aicc
    row[[paste0("loglik_", t)]] <- if (inherits(f, "try-error")) NA else f$loglik
  }
  rows[[length(rows) + 1]] <- row
}
res <- do.call(rbind, rows)
write.csv(res, out, row.names = FALSE)
cat(sprintf("%d series, WAPE %.4f\n", nrow(res), sum(res$abs_err) / sum(res$abs_act)))
print(table(res$model))

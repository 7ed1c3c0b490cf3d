"""statsmodels OLS on Dominick's OJ, the pooled specification of `promopilot pricing elasticity` (issue 10):
logmove ~ log(own price) + C(brand) + feat + deal, classical, HC1 and store-clustered standard errors.
Run: /usr/bin/python3 bench/forecast/elasticity_reference.py ../shared/data/dominicks_oj
Printed on this machine (statsmodels 0.13.5): elasticity -2.365284, se classical 0.013472, HC1 0.015785, cluster(store) 0.062020
"""
import sys

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

d = pd.read_csv(f"{sys.argv[1] if len(sys.argv) > 1 else '../shared/data/dominicks_oj'}/oj_yx.csv.gz")
d["lp"] = np.log(d.apply(lambda r: r[f"price{int(r['brand'])}"], axis=1))
model = smf.ols("logmove ~ lp + C(brand) + feat + deal", d)
for name, fit in (("classical", model.fit()), ("hc1", model.fit(cov_type="HC1")),
                  ("cluster", model.fit(cov_type="cluster", cov_kwds={"groups": d["store"]}))):
    print(f"{name}: elasticity {fit.params['lp']:.6f} se {fit.bse['lp']:.6f} n {int(fit.nobs)}")

"""The baseline: what a competent analyst would write by hand to draw the same region at
the same size and dpi (A4 landscape, 300 dpi) with geopandas.

    python bench/baseline_export.py NE_COUNTRIES.shp OUT.png
"""

import sys

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from shapely.geometry import box

LCC = "+proj=lcc +lat_0=40.5 +lon_0=45 +lat_1=38 +lat_2=43 +datum=WGS84 +units=m +no_defs"

countries = gpd.read_file(sys.argv[1])
region = countries.clip(box(36.5, 35.5, 53.5, 45.5)).to_crs(LCC)
fig, ax = plt.subplots(figsize=(3508 / 300, 2480 / 300), dpi=300)
region.plot(ax=ax, column="ADM0_A3", cmap="Pastel1", edgecolor="#555555", linewidth=0.6)
for _, row in region[region["ADM0_A3"].isin(["ARM", "AZE", "GEO"])].iterrows():
    p = row.geometry.representative_point()
    ax.annotate(row["NAME_EN"], (p.x, p.y), ha="center", fontsize=9)
ax.set_title("South Caucasus")
ax.set_axis_off()
fig.savefig(sys.argv[2], dpi=300)

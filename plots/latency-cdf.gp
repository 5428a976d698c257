# latency-cdf.gp: the latency distribution of both paths: x the latency
# (log), y the percentile spaced by nines (0 is 0 %, 1 is 90 %, 2 is 99 %,
# 3 is 99.9 %), p50, p99 and p99.9 marked.
#
# Data (latency-cdf.dat): one block per line: columns 1 latency (µs),
# 3 nines = -log10(1 - percentile/100); then a block of marks: latency,
# nines, label, path (0 normal, 1 accelerated).
# accelsim plot writes the settings it chooses (titles, labels, styles)
# into latency-cdf.gp in its output folder, followed by this file; run
# "gnuplot latency-cdf.gp" there to draw latency-cdf.png and latency-cdf.svg again.  Run
# this template itself with -e "datafile='...'" to draw your own data.
if (!exists("datafile")) datafile = 'latency-cdf.dat'
if (!exists("out")) out = 'latency-cdf'
if (!exists("plottitle")) plottitle = 'Latency distribution'
if (!exists("xlab")) xlab = 'latency (µs, log scale)'
if (!exists("ylab")) ylab = 'percentile'
if (!exists("n")) {
	n = 2
	array titles[2] = ["normal", "accelerated"]
	array colors[2] = ["#D55E00", "#0072B2"]
	array dts[2] = [1, 1]
	array pts[2] = [6, 5]
	array psz[2] = [2.2, 1.5]
}
if (!exists("marks")) marks = n

set datafile missing NaN
# the title at the top of the canvas, the key under it
set label 100 plottitle at screen 0.5, screen 0.965 center front
set xlabel xlab
set ylabel ylab
set logscale x
set grid xtics ytics mxtics lc rgb '#bbbbbb' dt 3
# the key in rows under the title, above the plot: never over the data
keyrows = ceil(n / 3.0)
set key at screen 0.5, screen 0.925 center top horizontal maxcols 3 box spacing 1.1 samplen 3
set tmargin at screen 0.89 - 0.045 * keyrows
set border lw 1.5
set ytics ("0 %%" 0, "50 %%" 0.30103, "90 %%" 1, "99 %%" 2, "99.9 %%" 3, "99.99 %%" 4, "99.999 %%" 5)
set yrange [0:*]
set offsets 0, 0, graph 0.05, 0

do for [fmt in "png svg"] {
	if (fmt eq "png") {
		fs = 24
		pss = 1
		set terminal pngcairo size 1600,1000 font ",24" linewidth 3 noenhanced background rgb 'white'
	} else {
		fs = 24
		# the svg terminal draws points about twice as large
		pss = 0.5
		set terminal svg size 1600,1000 dynamic font ",24" linewidth 3 noenhanced background rgb 'white'
	}
	set output out.'.'.fmt
	tf = sprintf(",%d", fs + 4)
	set label 100 font tf
	mf = sprintf(",%d", fs - 4)
	plot for [i=1:n] datafile index (i-1) using 1:3 with lines \
		lc rgb colors[i] dt dts[i] lw 2 title titles[i], \
	     datafile index marks using 1:($4 == 0 ? $2 : NaN):3 with labels \
		point pt 7 ps 1.4 * pss lc rgb '#D55E00' offset 0.8, -0.6 left font mf notitle, \
	     datafile index marks using 1:($4 == 1 ? $2 : NaN):3 with labels \
		point pt 5 ps 1.4 * pss lc rgb '#0072B2' offset -0.8, 0.6 right font mf notitle
	set output
}

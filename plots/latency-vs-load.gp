# latency-vs-load.gp: latency percentiles (p50, p99, p99.9) of both paths
# against what the sweep varied (offered load by default), log y.
#
# Data (latency-vs-load.dat): one block per line, in the order of
# the titles; columns 1 x, 2 x as text, 3 latency (µs), 4 half-width of its 95 %
# interval (0 with one seed).
# accelsim plot writes the settings it chooses (titles, labels, styles)
# into latency-vs-load.gp in its output folder, followed by this file; run
# "gnuplot latency-vs-load.gp" there to draw latency-vs-load.png and latency-vs-load.svg again.  Run
# this template itself with -e "datafile='...'" to draw your own data.
if (!exists("datafile")) datafile = 'latency-vs-load.dat'
if (!exists("out")) out = 'latency-vs-load'
if (!exists("plottitle")) plottitle = 'Latency percentiles'
if (!exists("xlab")) xlab = 'offered load'
if (!exists("ylab")) ylab = 'latency (µs, log scale)'
if (!exists("n")) {
	n = 2
	array titles[2] = ["normal p99", "accelerated p99"]
	array colors[2] = ["#D55E00", "#0072B2"]
	array dts[2] = [1, 1]
	array pts[2] = [6, 5]
	array psz[2] = [2.2, 1.5]
}
if (!exists("errorbars")) errorbars = 0
if (!exists("xlog")) xlog = 0
if (!exists("xtext")) xtext = 0
if (!exists("knee")) knee = NaN
if (!exists("kneelabel")) kneelabel = ''

set datafile missing NaN
# the title at the top of the canvas, the key under it
set label 100 plottitle at screen 0.5, screen 0.965 center front
set xlabel xlab
set ylabel ylab
if (xlog) { set logscale x; set autoscale xfix }
set grid xtics ytics lc rgb '#bbbbbb' dt 3
# the key in rows under the title, above the plot: never over the data
keyrows = ceil((n + (exists("band") ? band : 0)) / 3.0)
set key at screen 0.5, screen 0.925 center top horizontal maxcols 3 box spacing 1.1 width 1 samplen 3
set tmargin at screen 0.89 - 0.045 * keyrows - (knee == knee ? 0.04 : 0)
set border lw 1.5
set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.02
# the knee: a dashed line, named above the frame (room made for it): never over the data
if (knee == knee) {
	set arrow 1 from knee, graph 0 to knee, graph 1 nohead lc rgb '#444444' dt 2 lw 1.5
	set label 1 kneelabel at knee, graph 1 center offset 0, 0.7 tc rgb '#333333' font ',22'
}
cols = errorbars ? '1:3:4' : '1:3'
style = errorbars ? 'yerrorlines' : 'linespoints'
xt = xtext ? ':xtic(2)' : ''
set logscale y
set format y '%g'
set grid mytics

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
	plot for [i=1:n] datafile index (i-1) using @cols@xt with @style \
		lc rgb colors[i] dt dts[i] pt pts[i] ps psz[i] * pss lw 1.5 title titles[i]
	set output
}

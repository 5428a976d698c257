# latency-budget.gp: where the latency goes: each path's mean latency as
# stacked bars, one segment per stage, for each run or sweep point.
#
# Data (latency-budget.dat): two blocks, the normal path then the
# accelerated one; columns 1 the bar's label, then the mean µs per packet
# spent in each stage (cats, in order), then their total.
# accelsim plot writes the settings it chooses (titles, labels, styles)
# into latency-budget.gp in its output folder, followed by this file; run
# "gnuplot latency-budget.gp" there to draw latency-budget.png and latency-budget.svg again.  Run
# this template itself with -e "datafile='...'" to draw your own data.
if (!exists("datafile")) datafile = 'latency-budget.dat'
if (!exists("out")) out = 'latency-budget'
if (!exists("plottitle")) plottitle = 'Where the latency goes'
if (!exists("xlab")) xlab = ''
if (!exists("ylab")) ylab = 'mean latency (µs)'
if (!exists("nbars")) nbars = 1
if (!exists("ymax")) ymax = NaN
if (!exists("ncat")) {
	ncat = 2
	array cats[2] = ["wait", "service"]
	array catcolors[2] = ["#E69F00", "#56B4E9"]
}

set datafile missing NaN
set title plottitle
set ylabel ylab
set xlabel xlab
set style data histograms
set style histogram rowstacked
set style fill solid 0.9 border rgb '#333333'
set boxwidth 0.75
set grid ytics lc rgb '#bbbbbb' dt 3
set key outside right top box opaque spacing 1.2 reverse Left title 'stage' invert
set border lw 1.5
set xtics nomirror
# the paths' names over their groups of bars, on the top axis
set link x2
set x2tics scale 0 ("normal path" (nbars - 1) / 2.0, \
	"accelerated path" nbars + 1 + (nbars - 1) / 2.0)
if (ymax == ymax) { set yrange [0:ymax] } else { set yrange [0:*] }
# a bar's total goes on its top; a bar cut off at the axis's top has its
# total written down from there, inside the bar, with an arrow
cut(v) = ymax == ymax && v > ymax
total(v) = (v >= 100 ? sprintf("%.0f", v) : sprintf("%.1f", v)) . (cut(v) ? " ↑" : "")
vertical = nbars > 6
just = vertical ? 'left' : 'center'
if (vertical) { set xtics rotate by 90 right }

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
	set title font tf
	lf = sprintf(",%d", fs - 6)
	rot = vertical ? 90 : 0
	off = vertical ? 0.4 : 0.7
	set x2tics font tf
	plot newhistogram at 0, \
		for [c=1:ncat] datafile index 0 using (column(c+1)):xtic(1) \
			lc rgb catcolors[c] title cats[c], \
	     newhistogram at nbars + 1, \
		for [c=1:ncat] datafile index 1 using (column(c+1)):xtic(1) \
			lc rgb catcolors[c] notitle, \
	     for [g=0:1] datafile index g \
		using ($0 + g * (nbars + 1)):(cut(column(ncat+2)) ? NaN : column(ncat+2)):(total(column(ncat+2))) \
		with labels rotate by rot @just offset 0, off font lf notitle, \
	     for [g=0:1] datafile index g \
		using ($0 + g * (nbars + 1)):(cut(column(ncat+2)) ? 0.98 * ymax : NaN):(total(column(ncat+2))) \
		with labels rotate by rot right offset 0, -0.4 font lf notitle
	set output
}

# time-series.gp: each interval of a run (run --interval), both paths:
# delivered throughput, latency p50 and p99, and the host cores busy on
# networking, one panel each over the same time axis, with the
# scenario's timed events marked.
#
# Data (time-series.dat): two blocks, the normal path then the
# accelerated one; columns 1 time from the start (s, mid-interval),
# 2 delivered per second, 3 latency p50 (µs), 4 latency p99 (µs),
# 5 host CPU (cores).
# accelsim plot writes the settings it chooses (titles, labels, styles)
# into time-series.gp in its output folder, followed by this file; run
# "gnuplot time-series.gp" there to draw time-series.png and time-series.svg again.  Run
# this template itself with -e "datafile='...'" to draw your own data.
if (!exists("datafile")) datafile = 'time-series.dat'
if (!exists("out")) out = 'time-series'
if (!exists("plottitle")) plottitle = 'Over time'
if (!exists("ylab1")) ylab1 = 'delivered (pps)'
if (!exists("ylab2")) ylab2 = 'latency (µs, log scale)'
if (!exists("ylab3")) ylab3 = 'host CPU (cores)'
if (!exists("nev")) {
	nev = 0
	array evt[1]
	array evname[1]
}

# the paths by colour (Okabe-Ito) and by dash, so that greyscale keeps
# them apart; p99 thick, p50 thin
cn = '#D55E00'
ca = '#0072B2'

set datafile missing NaN
set grid xtics ytics lc rgb '#bbbbbb' dt 3
set border lw 1.5
set key outside right top box opaque spacing 1.2 samplen 3
# the three panels share the time axis: same left and right edges,
# stacked, the time's labels under the lowest one only
set lmargin at screen 0.12
set rmargin at screen 0.70
# about four steps up an axis from 0 to top, each 1, 2 or 5 times a power of 10
nice(x) = (x <= 0 || x != x) ? 1 : (10**floor(log10(x)) * \
	(x / 10**floor(log10(x)) < 1.5 ? 1 : x / 10**floor(log10(x)) < 3.5 ? 2 : \
	 x / 10**floor(log10(x)) < 7.5 ? 5 : 10))
stats datafile using 2 nooutput
top2 = STATS_max
stats datafile using 5 nooutput
top5 = STATS_max
stats datafile using 3 nooutput
low3 = STATS_min
stats datafile using 4 nooutput
top4 = STATS_max

do for [fmt in "png svg"] {
	if (fmt eq "png") {
		fs = 24
		set terminal pngcairo size 1600,1300 font ",24" linewidth 3 noenhanced background rgb 'white'
	} else {
		fs = 24
		set terminal svg size 1600,1300 dynamic font ",24" linewidth 3 noenhanced background rgb 'white'
	}
	set output out.'.'.fmt
	set multiplot
	set label 100 plottitle at screen 0.5, screen 0.975 center front font sprintf(",%d", fs + 4)
	unset arrow
	do for [e=1:nev] {
		set arrow e from evt[e], graph 0 to evt[e], graph 1 nohead lc rgb '#444444' dt 4 lw 1.2
		set label e evname[e] at evt[e], graph 1 center offset 0, 0.8 tc rgb '#444444'
	}

	set tmargin at screen 0.925
	set bmargin at screen 0.68
	set ylabel ylab1
	set format y '%.0s%c'
	set ytics nice(top2 / 4)
	set yrange [0:*]
	set format x ''
	unset xlabel
	plot datafile index 0 using 1:2 with lines lc rgb cn lw 2 title 'normal', \
	     datafile index 1 using 1:2 with lines lc rgb ca lw 2 dt 2 title 'accelerated'
	unset label 100
	do for [e=1:nev] { unset label e }

	set tmargin at screen 0.645
	set bmargin at screen 0.40
	set ylabel ylab2
	set format y '%g'
	set logscale y
	# room above and below, so that no line hides in the border; ticks
	# at 1, 2 and 5 times a power of ten, or every decade over a wide range
	set yrange [low3 / 1.5 : top4 * 1.5]
	if (top4 / low3 > 300) {
		set ytics 10
	} else {
		set ytics ()
		do for [d=-3:7] { set ytics add (10**d, 2 * 10**d, 5 * 10**d) }
	}
	plot datafile index 0 using 1:4 with lines lc rgb cn lw 2.5 title 'normal p99', \
	     datafile index 0 using 1:3 with lines lc rgb cn lw 1 title 'normal p50', \
	     datafile index 1 using 1:4 with lines lc rgb ca lw 2.5 dt 2 title 'accelerated p99', \
	     datafile index 1 using 1:3 with lines lc rgb ca lw 1 dt 2 title 'accelerated p50'
	unset logscale y

	set tmargin at screen 0.365
	set bmargin at screen 0.12
	set ylabel ylab3
	set ytics nice(top5 / 4)
	set yrange [0:*]
	set format x '%g'
	set xlabel 'time from the start of the run (s)'
	plot datafile index 0 using 1:5 with lines lc rgb cn lw 2 title 'normal', \
	     datafile index 1 using 1:5 with lines lc rgb ca lw 2 dt 2 title 'accelerated'
	unset multiplot
	set output
}

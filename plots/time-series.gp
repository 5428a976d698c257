# time-series.gp: delivered throughput and p99 latency of each interval of
# a run (run --interval), both paths, with the scenario's timed events
# marked.
#
# Data (time-series.dat): two blocks, the normal path then the
# accelerated one; columns 1 time from the start (s), 2 delivered per
# second, 3 p99 latency (µs).
# accelsim plot writes the settings it chooses (titles, labels, styles)
# into time-series.gp in its output folder, followed by this file; run
# "gnuplot time-series.gp" there to draw time-series.png and time-series.svg again.  Run
# this template itself with -e "datafile='...'" to draw your own data.
if (!exists("datafile")) datafile = 'time-series.dat'
if (!exists("out")) out = 'time-series'
if (!exists("plottitle")) plottitle = 'Over time'
if (!exists("ylab1")) ylab1 = 'delivered (pps)'
if (!exists("ylab2")) ylab2 = 'latency p99 (µs)'
if (!exists("nev")) {
	nev = 0
	array evt[1]
	array evname[1]
}

set datafile missing NaN
set grid xtics ytics lc rgb '#bbbbbb' dt 3
set border lw 1.5
set key outside right top box opaque spacing 1.2

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
	set multiplot layout 2, 1 title plottitle font sprintf(",%d", fs + 4)
	unset arrow
	unset label
	do for [e=1:nev] {
		set arrow e from evt[e], graph 0 to evt[e], graph 1 nohead lc rgb '#444444' dt 2 lw 1.5
		set label e evname[e] at evt[e], graph 0.92 left offset 0.5, 0 tc rgb '#444444'
	}
	set ylabel ylab1
	set format y '%.1s%c'
	unset xlabel
	plot datafile index 0 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'normal', \
	     datafile index 1 using 1:2 with lines lc rgb '#0072B2' lw 2 dt 2 title 'accelerated'
	set ylabel ylab2
	set format y '%g'
	set xlabel 'time from the start of the run (s)'
	plot datafile index 0 using 1:3 with lines lc rgb '#D55E00' lw 2 title 'normal', \
	     datafile index 1 using 1:3 with lines lc rgb '#0072B2' lw 2 dt 2 title 'accelerated'
	unset multiplot
	set output
}

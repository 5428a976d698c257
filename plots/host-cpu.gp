# host-cpu.gp: host cores busy on networking, both paths, and the
# cores accelerated networking saves (shaded); with a price per core-year,
# the right axis says what they are worth per host a year.
#
# Data (host-cpu.dat): one block per line, in the order of
# the titles; columns 1 x, 2 x as text, 3 cores, 4 half-width of its 95 %
# interval (0 with one seed).
# With band = 1 a last block: x, x as text, normal, accelerated.
# accelsim plot writes the settings it chooses (titles, labels, styles)
# into host-cpu.gp in its output folder, followed by this file; run
# "gnuplot host-cpu.gp" there to draw host-cpu.png and host-cpu.svg again.  Run
# this template itself with -e "datafile='...'" to draw your own data.
if (!exists("datafile")) datafile = 'host-cpu.dat'
if (!exists("out")) out = 'host-cpu'
if (!exists("plottitle")) plottitle = 'Host CPU'
if (!exists("xlab")) xlab = 'offered load'
if (!exists("ylab")) ylab = 'host CPU (cores)'
if (!exists("price")) price = NaN
if (!exists("band")) band = 0
if (!exists("y2step")) y2step = NaN
if (!exists("n")) {
	n = 2
	array titles[2] = ["normal", "accelerated"]
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
set yrange [0:*]
set ytics nomirror
if (price == price) {
	set y2label sprintf('worth per host a year (US$, at $%.0f per core-year)', price)
	set link y2 via y * price inverse y / price
	if (y2step == y2step) { set y2tics y2step } else { set y2tics }
	set format y2 '$%.0f'
}
bandfrom = band ? 'datafile index n using 1:3:4 with filledcurves fc rgb "#56B4E9" fs transparent solid 0.35 noborder title "cores saved", ' : ''

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
	plot @bandfrom \
	     for [i=1:n] datafile index (i-1) using @cols@xt with @style \
		lc rgb colors[i] dt dts[i] pt pts[i] ps psz[i] * pss lw 1.5 title titles[i]
	set output
}

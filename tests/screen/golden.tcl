# Golden screens (issue 5): every screen, in each of the eight languages,
# at 80x24, kept as text under tests/golden/LANG/NAME.txt and compared on
# every run of make check.  They are how a reviewer who reads only one of
# the languages checks the others' layout: titles and key bars that fit,
# labels aligned, nothing cut in the middle of a character.
#
# A tour walks the real flows once, in English, against a real madoguchid
# whose clock stands still (so dates are the same on every run).  On each
# screen it switches through all eight languages with the Language menu
# (F2), as a person would, and captures each.  Switching back to English
# must give exactly the screen it started from.
#
# GOLDEN_UPDATE=1 writes the captures instead of comparing them:
#     make golden
# regenerates them all after an intended change; review the diff.

source [file join [file dirname [info script]] lib.tcl]

# The Language menu's order (screens/language.screen), English last so
# that the tour carries on in English.
set golden(langs) {ja zh_CN zh_TW ko es vi tl en}
# GOLDEN_TERM and GOLDEN_LANGS run a tour under another terminal type
# with fewer languages (English last), against the same golden files:
# tests/screen/term_linux.sh walks every screen under TERM=linux.
if {[info exists env(GOLDEN_LANGS)] && $env(GOLDEN_LANGS) ne ""} {
    set golden(langs) $env(GOLDEN_LANGS)
}
if {[info exists env(GOLDEN_TERM)] && $env(GOLDEN_TERM) ne ""} {
    set t(term) $env(GOLDEN_TERM)
}
set golden(menu) {ja en zh_CN zh_TW ko es vi tl}
set golden(dir) [expr {[info exists env(GOLDEN_DIR)] ? $env(GOLDEN_DIR) :
    [file join [file dirname [info script]] .. golden]}]
set golden(update) [expr {[info exists env(GOLDEN_UPDATE)] &&
    $env(GOLDEN_UPDATE) ne "" && $env(GOLDEN_UPDATE) ne "0"}]
set golden(mismatch) {}
set golden(count) 0
# The language shown now: every tour starts the client with --lang en.
set golden(current) en
# Values that differ from run to run, replaced by placeholders of the
# same width so that the layout is still what a person sees.
set golden(subs) {}

# The service clock for golden tours: 2025-07-23 15:00 in Japan, the
# date the manuals use in their examples, standing still.
proc golden_clock {svc} {
    set f [open [dict get $svc dir]/clock w]
    puts $f @1753250400
    close $f
}

# Replace a value that changes between runs (a generated user ID) by a
# fixed one of the same display width.
proc golden_sub {value placeholder} {
    global golden
    lappend golden(subs) $value $placeholder
}

# The Language menu is showing.
proc golden_on_menu {s} {
    return [expr {[string match *繁體中文* $s] && [string match *Tiếng\ Việt* $s]}]
}

# Poll until the screen stops changing (no request in flight, nothing
# half drawn): the same text three polls in a row, not `not`, and not the
# Language menu unless `menu`.
proc golden_settle {{not {}} {menu 0}} {
    set deadline [expr {[clock milliseconds] + 15000}]
    set last {}
    set same 0
    while {[clock milliseconds] < $deadline} {
        set s [screen]
        # A request in flight shows a spinner and "…" on the message line.
        set busy [regexp {^\s*[|/\\-] .*…} [lindex [split $s \n] 22]]
        if {$s eq $last && $s ne $not && !$busy &&
            ($menu == [golden_on_menu $s])} {
            if {[incr same] >= 2} { return $s }
        } else {
            set same 0
        }
        set last $s
        after 40
    }
    fail "the screen did not settle"
}

# Switch the display language through the Language menu.
proc golden_switch {lang} {
    global golden
    set before [screen]
    keys F2
    wait_for {繁體中文}
    set idx [lsearch -exact $golden(menu) $lang]
    # The menu opens on the language in use; Down and Up move from it.
    set cur [lsearch -exact $golden(menu) $golden(current)]
    if {$idx > $cur} { keys {*}[lrepeat [expr {$idx - $cur}] Down] }
    if {$idx < $cur} { keys {*}[lrepeat [expr {$cur - $idx}] Up] }
    keys Enter
    set golden(current) $lang
    return [golden_settle]
}

# The capture as stored: placeholders in, exactly 24 lines, no trailing
# blanks (tmux leaves some).
proc golden_text {s} {
    global golden
    set s [string map $golden(subs) $s]
    set lines {}
    foreach line [split $s \n] { lappend lines [string trimright $line] }
    while {[llength $lines] < 24} { lappend lines {} }
    return [join [lrange $lines 0 23] \n]\n
}

# Each language's name in its own script, as the title line ends with it.
array set golden_own {ja 日本語 en English zh_CN 简体中文 zh_TW 繁體中文
    ko 한국어 es Español vi {Tiếng Việt} tl Tagalog}

# The terminal cursor sits on the focused item, as a screen reader needs
# it to on every screen (issue 10): on the row of a focus mark ">" in
# column 1, or a few rows under it (a field whose label is above its box,
# the chosen answer of a choice), or just after a dialog's "> [".  Not
# on the message line or the key bar, nor anywhere without a focus mark.
proc golden_focused {s cursor} {
    lassign $cursor x y
    set lines [split $s \n]
    set rows [llength $lines]
    if {$y < 1 || $y >= 22} { return 0 }
    set here [lindex $lines $y]
    if {$x >= 3 && [string index $here [expr {$x - 3}]] eq ">"} { return 1 }
    for {set r $y} {$r >= 1 && $r >= $y - 5} {incr r -1} {
        set line [lindex $lines $r]
        if {[string index $line 1] eq ">"} { return 1 }
        # Another item's row in between: the mark is not this one's.
        if {$r < $y && [regexp {^ {4}\[ } $line]} { return 0 }
    }
    return 0
}

# Store or compare one capture.  Whatever the language, the title line
# must end with the language's own name (nothing pushed it off), the
# key bar must still offer Help and, off the Language screen, Language,
# and the cursor must be on the focused item.
proc golden_record {lang name s} {
    global golden golden_own
    set path [file join $golden(dir) $lang $name.txt]
    set text [golden_text $s]
    set lines [split $text \n]
    incr golden(count)
    # On the Linux console (8 colours, no italics) nothing may ask for
    # more: no 256-colour or direct colour, no italics.
    if {[info exists ::t(term)] && $::t(term) eq "linux"} {
        set attrs [screen_attrs]
        if {[regexp {\[(?:[0-9;]*;)?(?:38|48);[25];|\[(?:[0-9;]*;)?3m} $attrs]} {
            lappend golden(mismatch) "$lang/$name.txt: under TERM=linux the screen uses colours or attributes the console lacks"
        }
    }
    set cursor [cursor]
    if {[screen] eq $s && ![golden_focused $s $cursor]} {
        lappend golden(mismatch) "$lang/$name.txt: the cursor ($cursor) is not on a focused item"
    }
    if {![string match "*$golden_own($lang)" [lindex $lines 0]]} {
        lappend golden(mismatch) "$lang/$name.txt: the title line lost the language's name"
    }
    if {![string match {*F1/^O *} [lindex $lines 23]] ||
        ($name ne "language" && ![string match {*F2/^G *} [lindex $lines 23]])} {
        lappend golden(mismatch) "$lang/$name.txt: the key bar lost Help or Language"
    }
    if {$golden(update)} {
        file mkdir [file dirname $path]
        set f [open $path w]
        fconfigure $f -encoding utf-8 -translation lf
        puts -nonewline $f $text
        close $f
        return
    }
    if {![file exists $path]} {
        lappend golden(mismatch) "$lang/$name.txt: no golden file (run make golden)"
        return
    }
    set f [open $path r]
    fconfigure $f -encoding utf-8
    set want [read $f]
    close $f
    if {$want ne $text} {
        set tmp $::t(dir)/$lang.$name.txt
        set f [open $tmp w]
        fconfigure $f -encoding utf-8 -translation lf
        puts -nonewline $f $text
        close $f
        catch {exec diff -u $path $tmp} d
        regsub {\nchild process exited abnormally$} $d {} d
        lappend golden(mismatch) "$lang/$name.txt differs:\n$d"
    }
}

# The screen showing now, in every language, then English again.
proc golden_shoot {name} {
    set start [golden_settle]
    foreach lang $::golden(langs) {
        golden_record $lang $name [golden_switch $lang]
    }
    check {[golden_text [screen]] eq [golden_text $start]} \
        "$name: back in English, the screen is as it was"
}

# Something opened over the screen by a key (help, the Language menu
# itself), in every language: switch on the screen beneath, open, capture,
# close.
proc golden_overlay {name open close} {
    foreach lang $::golden(langs) {
        set beneath [golden_switch $lang]
        keys $open
        set s [golden_settle $beneath [expr {$name eq "language"}]]
        golden_record $lang $name $s
        keys $close
        set deadline [expr {[clock milliseconds] + 15000}]
        while {[screen] ne $beneath} {
            if {[clock milliseconds] > $deadline} {
                fail "$name: closing it did not bring back the screen"
            }
            after 40
        }
    }
}

# End of a tour: report every mismatch at once, so that one run shows
# the whole of an unintended change.
proc golden_finish {} {
    global golden
    if {$golden(update)} {
        note "wrote $golden(count) golden screens under $golden(dir)"
        finish
    }
    if {[llength $golden(mismatch)] > 0} {
        foreach m $golden(mismatch) { puts $m }
        fail "[llength $golden(mismatch)] of $golden(count) golden screens differ (make golden regenerates them after an intended change)"
    }
    note "$golden(count) golden screens match"
    finish
}

# Shared procedures for the screen tests.
#
# Each test starts a real madoguchid on a free loopback port over HTTPS with
# a scratch data directory, and drives the real madoguchi in a tmux pane of
# exactly 80x24 (a pty, as a person's terminal is).  Assertions read the
# whole screen with `tmux capture-pane -p`, polling until the expected text
# appears: ncurses sends only changed cells, so matching the raw byte stream
# would be fragile, and a fixed sleep would be both slow and flaky.
#
# Environment (set by tests/local.mk): MADOGUCHI, MADOGUCHID (programs),
# SCREENS_DIR, MADOGUCHI_LOCALEDIR, TMUX_BIN.

set t(dir) [exec mktemp -d /tmp/madoguchi-test.XXXXXX]
set t(sock) $t(dir)/tmux.0.sock
set t(clients) 0
set t(svc_pids) {}
set t(failed) 0
set t(name) [file rootname [file tail $argv0]]
set t(tmux) [expr {[info exists env(TMUX_BIN)] && $env(TMUX_BIN) ne "" ? $env(TMUX_BIN) : "tmux"}]
# A test's own tmux must not attach to the developer's.
unset -nocomplain env(TMUX)

# Print a line to the test log.
proc note {msg} {
    puts "# $msg"
}

# Stop everything this test started and leave with the automake exit code.
proc finish {} {
    global t
    catch {exec $t(tmux) -S $t(sock) kill-server}
    foreach pid $t(svc_pids) {
        catch {exec kill -TERM $pid}
    }
    foreach pid $t(svc_pids) {
        for {set i 0} {$i < 100} {incr i} {
            if {[catch {exec kill -0 $pid}]} { break }
            after 50
        }
        catch {exec kill -KILL $pid}
    }
    if {$t(failed)} {
        note "kept $t(dir) for inspection"
        exit 1
    }
    catch {exec rm -rf $t(dir)}
    puts "PASS: $t(name)"
    exit 0
}

# Record a failure with the screen as it is, and stop the test.
proc fail {msg} {
    global t
    puts "FAIL: $t(name): $msg"
    if {![catch {screen} s]} {
        puts "---- screen ----\n$s\n----------------"
    }
    foreach log [glob -nocomplain $t(dir)/*/service.log] {
        puts "---- $log (tail) ----"
        catch {puts [exec tail -n 20 $log]}
    }
    set t(failed) 1
    finish
}

# Check a condition; fail with msg when it does not hold.
proc check {cond msg} {
    if {![uplevel 1 [list expr $cond]]} {
        fail $msg
    }
    note "ok: $msg"
}

# Start madoguchid in its own data directory; return a dict with dir, port,
# ca.  Extra config lines (e.g. "idle_timeout = 5") go to its config file.
proc service_start {name {config {}}} {
    global t env
    set dir $t(dir)/$name
    file mkdir $dir
    set f [open $dir/madoguchid.conf w]
    puts $f "data_dir = $dir"
    puts $f "port = 0"
    puts $f "port_file = $dir/port"
    puts $f "test_clock_file = $dir/clock"
    foreach line $config { puts $f $line }
    close $f
    set pid [exec $env(MADOGUCHID) --config $dir/madoguchid.conf \
        >& $dir/service.log &]
    lappend t(svc_pids) $pid
    for {set i 0} {$i < 600} {incr i} {
        if {[file exists $dir/port]} { break }
        if {[catch {exec kill -0 $pid}]} {
            fail "madoguchid $name exited at start: [exec cat $dir/service.log]"
        }
        after 50
    }
    if {![file exists $dir/port]} { fail "madoguchid $name did not start" }
    set f [open $dir/port]
    set port [string trim [read $f]]
    close $f
    return [dict create dir $dir port $port ca $dir/ca.pem pid $pid \
        url https://127.0.0.1:$port conf $dir/madoguchid.conf]
}

# Create a user through the administrative command, the password on stdin.
proc service_add_user {svc user_id name password} {
    global env
    exec $env(MADOGUCHID) --config [dict get $svc conf] user-add $user_id \
        --name $name << "$password\n"
}

# One SQL query against a service's database, answered as text.
proc service_sql {svc sql} {
    return [exec sqlite3 [dict get $svc dir]/madoguchid.sqlite $sql]
}

# Start madoguchi in a fresh 80x24 tmux pane with these arguments.
# The pane runs a shell line that reports how the client ended and the
# terminal modes it left behind, so tests can check the restore.
proc client_start {args} {
    global t env
    # Each client gets a tmux server of its own: a server still shutting
    # down from the last one must not be reused.
    catch {exec $t(tmux) -S $t(sock) kill-server}
    set t(sock) $t(dir)/tmux.[incr t(clients)].sock
    set opts [list --screens $env(SCREENS_DIR)]
    set localedir MADOGUCHI_LOCALEDIR=$env(MADOGUCHI_LOCALEDIR)
    # t(installed): an installed client finds its screens and catalogues
    # by itself (tests/package/login.exp).
    if {[info exists t(installed)]} {
        set opts {}
        set localedir -u
        lappend localedir MADOGUCHI_LOCALEDIR
    }
    # t(term) and t(client_env) let a test choose the terminal type and
    # extra environment (NO_COLOR=1...).
    set cmd [list env {*}$localedir \
        TERM=[expr {[info exists t(term)] ? $t(term) : "screen"}] \
        {*}[expr {[info exists t(client_env)] ? $t(client_env) : {}}] \
        $env(MADOGUCHI) {*}$opts {*}$args]
    set line "[join $cmd { }] 2>$t(dir)/client.err; echo \"EXITED \$?\"; echo MODES \$(stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(echo|icanon)\$'); exec sleep 600"
    set f [open $t(dir)/tmux.conf w]
    puts $f "set -g default-terminal screen"
    puts $f "set -g status off"
    close $f
    exec $t(tmux) -S $t(sock) -f $t(dir)/tmux.conf new-session -d -x 80 -y 24 \
        -s main sh -c $line
}

# The whole visible screen as text.
proc screen {} {
    global t
    return [exec $t(tmux) -S $t(sock) capture-pane -p -t main]
}

# The screen with its attributes and colours as escape sequences.
proc screen_attrs {} {
    global t
    return [exec $t(tmux) -S $t(sock) capture-pane -p -e -t main]
}

# Poll until the screen matches a regular expression; fail after timeout
# seconds.  Returns the screen.
proc wait_for {re {timeout 15}} {
    set deadline [expr {[clock milliseconds] + $timeout * 1000}]
    while {[clock milliseconds] < $deadline} {
        update
        set s [screen]
        if {[regexp -- $re $s]} { return $s }
        after 50
    }
    fail "timed out waiting for /$re/"
}

# Poll until no request is in flight: the message line shows no spinner
# ("| Connecting to the service… Esc cancels").  Keys typed while a form
# is being sent are dropped, as a person's would be.
proc wait_idle {{timeout 15}} {
    set deadline [expr {[clock milliseconds] + $timeout * 1000}]
    while {[clock milliseconds] < $deadline} {
        set lines [split [screen] \n]
        set busy 0
        foreach line [lrange $lines end-2 end] {
            if {[regexp {^\s*[|/\\-] .*…} $line]} { set busy 1 }
        }
        if {!$busy} { return }
        after 50
    }
    fail "a request was still running after $timeout s"
}

# Poll until the screen no longer matches.
proc wait_gone {re {timeout 15}} {
    set deadline [expr {[clock milliseconds] + $timeout * 1000}]
    while {[clock milliseconds] < $deadline} {
        update
        set s [screen]
        if {![regexp -- $re $s]} { return $s }
        after 50
    }
    fail "timed out waiting for /$re/ to go"
}

# Send key names as tmux knows them (Tab, Enter, Escape, BTab, F2, C-g...).
proc keys {args} {
    global t
    if {![info exists t(term)] || $t(term) ne "linux"} {
        exec $t(tmux) -S $t(sock) send-keys -t main {*}$args
        return
    }
    # tmux sends keys as an xterm does; the Linux console's differ, and
    # a client told TERM=linux reads these (terminfo linux: kf1...).
    array set linux {F1 "\033\[\[A" F2 "\033\[\[B" F3 "\033\[\[C"
        F4 "\033\[\[D" F5 "\033\[\[E" BTab "\033\t"
        Home "\033\[1~" End "\033\[4~"}
    foreach k $args {
        if {[info exists linux($k)]} {
            exec $t(tmux) -S $t(sock) send-keys -t main -l -- \
                [subst -nocommands -novariables $linux($k)]
        } else {
            exec $t(tmux) -S $t(sock) send-keys -t main $k
        }
        # ESC then Tab within the client's escape delay (100 ms) is the
        # console's Shift-Tab (kcbt): a person is never that quick.
        if {$k eq "Escape"} { after 150 }
    }
}

# Type literal text.
proc type {text} {
    global t
    exec $t(tmux) -S $t(sock) send-keys -t main -l -- $text
}

# Type text one key at a time, as a person does: each key is sent only
# once the client has shown the one before, so that no two keys arrive
# together.  A field that must be typed (nopaste) refuses characters
# arriving several at once, as a paste from a terminal without bracketed
# paste does (src/client/input.h INPUT_BURST); `type` sends them so.
proc type_by_hand {text} {
    foreach ch [split $text ""] {
        set before "[screen][cursor]"
        type $ch
        set deadline [expr {[clock milliseconds] + 5000}]
        while {"[screen][cursor]" eq $before} {
            if {[clock milliseconds] > $deadline} {
                fail "the key \"$ch\" did not show"
            }
            after 10
        }
    }
}

# The terminal cursor as {x y}.
proc cursor {} {
    global t
    set c [exec $t(tmux) -S $t(sock) display -p -t main {#{cursor_x} #{cursor_y}}]
    return $c
}

# Row number (from 0) of the first screen line matching re, or -1.
proc row_of {re} {
    set n 0
    foreach line [split [screen] \n] {
        if {[regexp -- $re $line]} { return $n }
        incr n
    }
    return -1
}

# Column (from 0) where re first matches on the screen, or -1.
proc col_of {re} {
    foreach line [split [screen] \n] {
        if {[regexp -indices -- $re $line m]} { return [lindex $m 0] }
    }
    return -1
}

# The cursor must sit on the line showing re (the focused field or button),
# so that a screen reader or braille display follows the focus.
proc check_cursor_on {re} {
    set row [row_of $re]
    lassign [cursor] x y
    check {$row >= 0 && $y == $row} "cursor on the line of /$re/ (cursor $x,$y; line $row)"
}

# Move focus with Tab (or the given key) until the cursor is on the line
# showing re, as a keyboard-only person would.
proc focus_on {re {key Tab}} {
    for {set i 0} {$i < 30} {incr i} {
        set row [row_of $re]
        if {$row >= 0 && [lindex [cursor] 1] == $row} { return }
        keys $key
        after 30
    }
    fail "could not move focus to /$re/"
}

# Wait until the client has exited; return its exit status.
proc wait_exit {{timeout 15}} {
    set s [wait_for {EXITED [0-9]+} $timeout]
    regexp {EXITED ([0-9]+)} $s -> status
    return $status
}

# After the client exited, the shell saw the terminal in cooked mode with
# echo on: nothing was left garbled.
proc check_terminal_restored {} {
    set s [wait_for {MODES [-a-z ]*echo}]
    regexp {MODES ([-a-z ]*)} $s -> modes
    check {[lsearch -exact $modes echo] >= 0 && [lsearch -exact $modes icanon] >= 0} \
        "terminal restored to cooked mode with echo"
}

# The mails in a service's Maildir outbox addressed to `to`, oldest first,
# each as {subject body} with the body decoded, as a mail program shows it.
proc mails {svc to} {
    set out {}
    set files [glob -nocomplain [dict get $svc dir]/outbox/new/*]
    foreach f [lsort -command {apply {{a b} {
        expr {[file mtime $a] - [file mtime $b]}}}} $files] {
        set fd [open $f rb]
        set raw [read $fd]
        close $fd
        set split [string first "\r\n\r\n" $raw]
        set head [string range $raw 0 $split]
        set body [string range $raw [expr {$split + 4}] end]
        if {![regexp -line "^To:.*[string map {. \\.} $to]" $head]} { continue }
        if {[regexp -nocase {Content-Transfer-Encoding:\s*base64} $head]} {
            set body [encoding convertfrom utf-8 \
                [binary decode base64 [string map {"\r\n" ""} $body]]]
        }
        lappend out [list $head $body]
    }
    return $out
}

# Poll until `to` has at least n mails; return the newest one's body.
proc wait_mail {svc to {n 1} {timeout 15}} {
    set deadline [expr {[clock milliseconds] + $timeout * 1000}]
    while {[clock milliseconds] < $deadline} {
        set m [mails $svc $to]
        if {[llength $m] >= $n} { return [lindex $m end 1] }
        after 100
    }
    fail "no mail #$n for $to"
}

# The code or key printed in a mail body ("code: 326630", "ABCD-EFGH-JKLM").
proc code_in {body} {
    if {[regexp {[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}} $body key]} { return $key }
    if {[regexp {\m([0-9]{6})\M} $body -> code]} { return $code }
    fail "no code in the mail: $body"
}

# Move time forward for a service by n seconds (its test clock).
proc advance_clock {svc seconds} {
    set file [dict get $svc dir]/clock
    set now 0
    if {[file exists $file]} {
        set f [open $file]; set now [string trim [read $f]]; close $f
    }
    set f [open $file.tmp w]
    puts $f [expr {$now + $seconds}]
    close $f
    file rename -force $file.tmp $file
}

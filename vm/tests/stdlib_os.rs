//! Tests of the `os` library: Lua snippets run through the VM, compared with the output of `lua5.4`
//! 5.4.4 (recorded with `lua5.4 -e "assert(load(io.read('a'), '=test'))()"`).
//!
//! Errors are caught with `pcall` around a non-tail call
//! so that messages carry the `test:1:` position as in lua5.4.

use std::cell::RefCell;
use std::rc::Rc;

fn run(src: &str) -> Vec<u8> {
    let mut vm = selenite::Vm::new();
    selenite::stdlib::open_safe(&mut vm);
    let out = Rc::new(RefCell::new(Vec::new()));
    let sink = out.clone();
    vm.print_hook = Some(Box::new(move |b: &[u8]| {
        sink.borrow_mut().extend_from_slice(b)
    }));
    let f = match vm.load(src.as_bytes(), "=test") {
        Ok(f) => f,
        Err(e) => panic!("load error: {}", e.message()),
    };
    if let Err(e) = vm.call_function(f, &[]) {
        let msg = format!("ERROR: {}\n", e.message());
        out.borrow_mut().extend_from_slice(msg.as_bytes());
    }
    let r = out.borrow().clone();
    r
}

fn check(src: &str, expected: &[u8]) {
    let got = run(src);
    assert_eq!(
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(expected),
        "output differs from lua5.4"
    );
    assert_eq!(got, expected, "output bytes differ from lua5.4");
}

#[test]
fn date_time() {
    check(
        r###"local function p(f, ...) local a = table.pack(...) print(pcall(function() local r = table.pack(f(table.unpack(a, 1, a.n))) return table.unpack(r, 1, r.n) end)) end
print(os.date("!%Y-%m-%d %H:%M:%S", 0))
print(os.date("!%c|%x|%X|%Z|%z|%p|%r|%D|%F|%e|%j|%C|%g|%G|%V|%u|%w|%U|%W|%a %A %b %B %h|%y|%I|%n|%t|%%|%R|%T", 1700000000))
print(os.date("%c|%Z|%z", 1700000000))
print(os.date("!%Y|%C|%y|%G|%g|%F", -62000000000))
print(os.date("!%Y", 2^55))
p(os.date, "!%Y", 2^62)
p(os.date, "!%Y", -2^62)
p(os.date, "%Ez abc")
p(os.date, "%")
p(os.date, "%5")
print(os.date("%Ec|%EY|%Od|%OS|%EC|%Ex|%EX|%Ey|%Oe|%OH|%OI|%Om|%OM|%Ou|%OU|%OV|%Ow|%OW|%Oy", 0))
p(os.date, "!%Y", 1.5)
print(os.date(1), os.date("", 0), os.date("x%%y", 0))
print(os.time{year=2020,month=1,day=1,hour=0})
print(os.time{year=2020,month=1,day=1})
print(os.time{year=2020,month=14,day=-3,hour=25,min=61,sec=-1})
local t = {year=2020,month=14,day=-3,hour=25,min=61,sec=-1}; os.time(t); for _,k in ipairs{"year","month","day","hour","min","sec","yday","wday","isdst"} do print(k, t[k]) end
p(os.time, {year=2020,month=1})
p(os.time, {year=2020,month=1.5, day=1})
p(os.time, {year=2020,month="x", day=1})
print(os.time{year=2020,month="3", day=1})
p(os.time, {year=2^40,month=1, day=1})
p(os.time, {year=1969,month=12, day=31, hour=23, min=59, sec=59})
print(os.time{year=-2^31+1900,month=1, day=1})
p(os.time, {year=2^31-1+1900,month=12, day=31})
p(os.time, {year=2^31-1+1900,month=13, day=31})
p(os.time, {year=2020, month=1, day=2^31})
print(os.time{year=2000, month=2^31-1, day=-2^31})
print(os.difftime(10, 5))
p(os.difftime, 10)
p(os.difftime)
p(os.difftime, 1.5, 0.25)
p(os.time, 1)
print(type(os.clock()), math.type(os.time()), math.type(os.clock()), os.clock() >= 0, os.time() > 1600000000)
local d = os.date("!*t", 86400*365) print(d.year, d.month, d.day, d.hour, d.min, d.sec, d.yday, d.wday, d.isdst)
d = os.date("*t", 1700000000) print(d.year, d.month, d.day, d.hour, d.min, d.sec, d.yday, d.wday, d.isdst)
print(os.time(os.date("*t", 1234567890)))
for _, y in ipairs{5, 50, 99, 100, 305, 1970, 10000, 123456, 0, -1, -8, -99, -100, -101, -1234} do
  local t = os.time{year=y, month=1, day=1, hour=12}
  print(y, os.date("!%Y|%C|%y|%G|%g|%F|%c|%D|%x|%V|%U|%W|%j", t))
  t = os.time{year=y, month=12, day=31, hour=12}
  print(y, os.date("!%Y|%C|%y|%G|%g|%F|%V|%U|%W|%j|%u|%w", t))
end
for d = 1, 10 do local t = os.time{year=2021, month=1, day=d} print(os.date("!%F %a %G %g %V %U %W", t)) end
for d = 25, 31 do local t = os.time{year=2020, month=12, day=d} print(os.date("!%F %a %G %g %V %U %W", t)) end
for y = 1995, 2030 do for _, md in ipairs{{1,1},{1,2},{1,3},{1,4},{12,28},{12,29},{12,30},{12,31}} do
  local t = os.time{year=y, month=md[1], day=md[2]} acc = (acc or "") .. os.date("!%G%V%U%W%u ", t) end end print(acc)
print(os.date("!%I %p %H", 0), os.date("!%I %p %H", 43200), os.date("!%I %p", 3600*13), os.date("!%I", 3600*11))
"###,
        b"1970-01-01 00:00:00\nTue Nov 14 22:13:20 2023|11/14/23|22:13:20|GMT|+0000|PM|10:13:20 PM|11/14/23|2023-11-14|14|318|20|23|2023|46|2|2|46|46|Tue Tuesday Nov November Nov|23|10|\n|\t|%|22:13|22:13:20\nTue Nov 14 22:13:20 2023|UTC|+0000\n5|0|05|5|05|5-04-19\n1141709097\nfalse\ttest:1: date result cannot be represented in this installation\nfalse\ttest:1: date result cannot be represented in this installation\nfalse\ttest:1: bad argument #1 to 'f' (invalid conversion specifier '%Ez abc')\nfalse\ttest:1: bad argument #1 to 'f' (invalid conversion specifier '%')\nfalse\ttest:1: bad argument #1 to 'f' (invalid conversion specifier '%5')\nThu Jan  1 00:00:00 1970|1970|01|00|19|01/01/70|00:00:00|70| 1|00|12|01|00|4|00|01|4|00|70\nfalse\ttest:1: bad argument #2 to 'f' (number has no integer representation)\n1\t\tx%y\n1577836800\n1577880000\n1611885659\nyear\t2021\nmonth\t1\nday\t29\nhour\t2\nmin\t0\nsec\t59\nyday\t29\nwday\t6\nisdst\tfalse\nfalse\ttest:1: field 'day' missing in date table\nfalse\ttest:1: field 'month' is not an integer\nfalse\ttest:1: field 'month' is not an integer\n1583064000\nfalse\ttest:1: field 'year' is out-of-bound\nfalse\ttest:1: time result cannot be represented in this installation\n-67768040609697600\ntrue\t67768036191633600\nfalse\ttest:1: time result cannot be represented in this installation\nfalse\ttest:1: field 'day' is out-of-bound\n5461794887515200\n5.0\nfalse\ttest:1: bad argument #2 to 'f' (number expected, got no value)\nfalse\ttest:1: bad argument #1 to 'f' (number expected, got no value)\nfalse\ttest:1: bad argument #1 to 'f' (number has no integer representation)\nfalse\ttest:1: bad argument #1 to 'f' (table expected, got number)\nnumber\tinteger\tfloat\ttrue\ttrue\n1971\t1\t1\t0\t0\t0\t1\t6\tfalse\n2023\t11\t14\t22\t13\t20\t318\t3\tfalse\n1234567890\n5\t5|0|05|4|04|5-01-01|Sat Jan  1 12:00:00 5|01/01/05|01/01/05|53|00|00|001\n5\t5|0|05|5|05|5-12-31|52|52|52|365|6|6\n50\t50|0|50|49|49|50-01-01|Sat Jan  1 12:00:00 50|01/01/50|01/01/50|52|00|00|001\n50\t50|0|50|50|50|50-12-31|52|52|52|365|6|6\n99\t99|0|99|99|99|99-01-01|Thu Jan  1 12:00:00 99|01/01/99|01/01/99|01|00|00|001\n99\t99|0|99|99|99|99-12-31|53|52|52|365|4|4\n100\t100|1|00|99|99|100-01-01|Fri Jan  1 12:00:00 100|01/01/00|01/01/00|53|00|00|001\n100\t100|1|00|100|00|100-12-31|52|52|52|365|5|5\n305\t305|3|05|304|04|305-01-01|Sun Jan  1 12:00:00 305|01/01/05|01/01/05|52|01|00|001\n305\t305|3|05|305|05|305-12-31|52|53|52|365|7|0\n1970\t1970|19|70|1970|70|1970-01-01|Thu Jan  1 12:00:00 1970|01/01/70|01/01/70|01|00|00|001\n1970\t1970|19|70|1970|70|1970-12-31|53|52|52|365|4|4\n10000\t10000|100|00|9999|99|10000-01-01|Sat Jan  1 12:00:00 10000|01/01/00|01/01/00|52|00|00|001\n10000\t10000|100|00|10000|00|10000-12-31|52|53|52|366|7|0\n123456\t123456|1234|56|123456|56|123456-01-01|Tue Jan  1 12:00:00 123456|01/01/56|01/01/56|01|00|00|001\n123456\t123456|1234|56|123457|57|123456-12-31|01|52|52|366|3|3\n0\t0|0|00|-1|99|0-01-01|Sat Jan  1 12:00:00 0|01/01/00|01/01/00|52|00|00|001\n0\t0|0|00|0|00|0-12-31|52|53|52|366|7|0\n-1\t-1|-1|99|-2|98|-1-01-01|Fri Jan  1 12:00:00 -1|01/01/99|01/01/99|53|00|00|001\n-1\t-1|-1|99|-1|99|-1-12-31|52|52|52|365|5|5\n-8\t-8|-1|92|-8|92|-8-01-01|Wed Jan  1 12:00:00 -8|01/01/92|01/01/92|01|00|00|001\n-8\t-8|-1|92|-8|92|-8-12-31|53|52|52|366|4|4\n-99\t-99|-1|01|-99|01|-99-01-01|Tue Jan  1 12:00:00 -99|01/01/01|01/01/01|01|00|00|001\n-99\t-99|-1|01|-98|02|-99-12-31|01|52|52|365|2|2\n-100\t-100|-1|00|-100|00|-100-01-01|Mon Jan  1 12:00:00 -100|01/01/00|01/01/00|01|00|01|001\n-100\t-100|-1|00|-99|01|-100-12-31|01|52|53|365|1|1\n-101\t-101|-2|99|-102|98|-101-01-01|Sun Jan  1 12:00:00 -101|01/01/99|01/01/99|52|01|00|001\n-101\t-101|-2|99|-101|99|-101-12-31|52|53|52|365|7|0\n-1234\t-1234|-13|66|-1235|65|-1234-01-01|Sat Jan  1 12:00:00 -1234|01/01/66|01/01/66|52|00|00|001\n-1234\t-1234|-13|66|-1234|66|-1234-12-31|52|52|52|365|6|6\n2021-01-01 Fri 2020 20 53 00 00\n2021-01-02 Sat 2020 20 53 00 00\n2021-01-03 Sun 2020 20 53 01 00\n2021-01-04 Mon 2021 21 01 01 01\n2021-01-05 Tue 2021 21 01 01 01\n2021-01-06 Wed 2021 21 01 01 01\n2021-01-07 Thu 2021 21 01 01 01\n2021-01-08 Fri 2021 21 01 01 01\n2021-01-09 Sat 2021 21 01 01 01\n2021-01-10 Sun 2021 21 01 02 01\n2020-12-25 Fri 2020 20 52 51 51\n2020-12-26 Sat 2020 20 52 51 51\n2020-12-27 Sun 2020 20 52 52 51\n2020-12-28 Mon 2020 20 53 52 52\n2020-12-29 Tue 2020 20 53 52 52\n2020-12-30 Wed 2020 20 53 52 52\n2020-12-31 Thu 2020 20 53 52 52\n19945201007 19950101011 19950101012 19950101013 19955252524 19955252525 19955252526 19955253527 19960100011 19960100012 19960100013 19960100014 19965251526 19965252527 19970152531 19970152532 19970100003 19970100004 19970100005 19970100006 19975252517 19980152521 19980152522 19980152523 19980100004 19980100005 19980100006 19980101007 19985352521 19985352522 19985352523 19985352524 19985300005 19985300006 19985301007 19990101011 19995252522 19995252523 19995252524 19995252525 19995200006 19995201007 20000101011 20000101012 20005252524 20005252525 20005252526 20005253527 20010100011 20010100012 20010100013 20010100014 20015251525 20015251526 20015252527 20020152531 20020100002 20020100003 20020100004 20020100005 20025251516 20025252517 20030152521 20030152522 20030100003 20030100004 20030100005 20030100006 20035252517 20040152521 20040152522 20040152523 20040100004 20040100005 20040100006 20040101007 20045352522 20045352523 20045352524 20045352525 20045300006 20045301007 20050101011 20050101012 20055252523 20055252524 20055252525 20055252526 20055201007 20060101011 20060101012 20060101013 20065252524 20065252525 20065252526 20065253527 20070100011 20070100012 20070100013 20070100014 20075251525 20075251526 20075252527 20080152531 20080100002 20080100003 20080100004 20080100005 20085252517 20090152521 20090152522 20090152523 20090100004 20090100005 20090100006 20090101007 20095352521 20095352522 20095352523 20095352524 20095300005 20095300006 20095301007 20100101011 20105252522 20105252523 20105252524 20105252525 20105200006 20105201007 20110101011 20110101012 20115252523 20115252524 20115252525 20115252526 20115201007 20120101011 20120101012 20120101013 20125252525 20125252526 20125253527 20130153531 20130100002 20130100003 20130100004 20130100005 20135251516 20135252517 20140152521 20140152522 20140100003 20140100004 20140100005 20140100006 20145252517 20150152521 20150152522 20150152523 20150100004 20150100005 20150100006 20150101007 20155352521 20155352522 20155352523 20155352524 20155300005 20155300006 20155301007 20160101011 20165252523 20165252524 20165252525 20165252526 20165201007 20170101011 20170101012 20170101013 20175252524 20175252525 20175252526 20175253527 20180100011 20180100012 20180100013 20180100014 20185251525 20185251526 20185252527 20190152531 20190100002 20190100003 20190100004 20190100005 20195251516 20195252517 20200152521 20200152522 20200100003 20200100004 20200100005 20200100006 20205352521 20205352522 20205352523 20205352524 20205300005 20205300006 20205301007 20210101011 20215252522 20215252523 20215252524 20215252525 20215200006 20215201007 20220101011 20220101012 20225252523 20225252524 20225252525 20225252526 20225201007 20230101011 20230101012 20230101013 20235252524 20235252525 20235252526 20235253527 20240100011 20240100012 20240100013 20240100014 20245251526 20245252527 20250152531 20250152532 20250100003 20250100004 20250100005 20250100006 20255252517 20260152521 20260152522 20260152523 20260100004 20260100005 20260100006 20260101007 20265352521 20265352522 20265352523 20265352524 20265300005 20265300006 20265301007 20270101011 20275252522 20275252523 20275252524 20275252525 20275200006 20275201007 20280101011 20280101012 20285252524 20285252525 20285252526 20285253527 20290100011 20290100012 20290100013 20290100014 20295251525 20295251526 20295252527 20300152531 20300100002 20300100003 20300100004 20300100005 20305251516 20305252517 20310152521 20310152522 \n12 AM 00\t12 PM 12\t01 PM\t11\n",
    );
}

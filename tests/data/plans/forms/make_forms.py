"""Write the 2015 plan (``tests/data/nmg-2015-regional-cooperation.txt``) in the forms plans arrive in.

Run from the repository root whenever the plan text changes, and commit what it writes::

    python tests/data/plans/forms/make_forms.py

It writes, beside itself:

- ``nmg-2015.html``: the plan as a saved page of a government website, declared and encoded as
  GB2312 (GB18030 for the few characters GB2312 lacks, as such sites do), with the site's header,
  navigation, breadcrumbs, share buttons, scripts and footer around the article.
- ``nmg-2015.docx``: a Word file (python-docx): the plan's paragraphs, with the sections as
  headings and a table of the rail and road items as government attachments carry them.
- ``nmg-2015.pdf``: a PDF with a text layer (reportlab, its built-in STSong-Light CID font, so no
  font file is embedded): A4 with a narrow column, so long paragraphs wrap mid-sentence and the
  plan runs over two pages, each with a ``- N -`` page number, as printed government documents are.
- ``scanned.pdf``: one page that is only a picture of the first lines (rendered with matplotlib in
  Noto Sans CJK), as a scanner makes it: no text layer.

The PDFs and the page are the same bytes on every run (reportlab's invariant mode); the docx
differs only in its zip members' timestamps, which python-docx sets to the time of writing.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLAN = HERE.parents[2] / "data" / "nmg-2015-regional-cooperation.txt"
SECTION_HEADINGS = ("一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、")

PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<meta name="keywords" content="区域合作,分工方案,发展改革" />
<title>{title}_内蒙古自治区人民政府</title>
<link href="/css/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/js/jquery.min.js"></script>
<script type="text/javascript">
var _hmt = _hmt || [];
function setFontSize(size) {{ document.getElementById("zoom").style.fontSize = size + "px"; }}
document.write("<div class='notice'>欢迎访问内蒙古自治区人民政府门户网站</div>");
</script>
</head>
<body>
<div class="top">
  <div class="top-links"><a href="/">首页</a> | <a href="/wza/">无障碍浏览</a> | <a href="/en/">English</a> | <a href="/mgl/">蒙古文</a></div>
  <div class="logo"><img src="/images/logo.png" alt="内蒙古自治区人民政府门户网站" /></div>
  <form class="search" action="/search/"><input name="q" value="请输入关键字" /><input type="submit" value="搜索" /></form>
</div>
<div class="nav">
  <ul>
    <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li>
    <li><a href="/hdjl/">互动交流</a></li><li><a href="/zjnmg/">走进内蒙古</a></li><li><a href="/zcjd/">政策解读</a></li>
  </ul>
</div>
<div class="position">当前位置:<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zfxxgk/">政府信息公开</a> &gt; 文件</div>
<div class="main">
  <div class="left-menu">
    <h3>政府信息公开</h3>
    <ul><li><a href="/zwgk/zfgb/">政府公报</a></li><li><a href="/zwgk/zfwj/">政府文件</a></li>
    <li><a href="/zwgk/ghjh/">规划计划</a></li><li><a href="/zwgk/rsxx/">人事信息</a></li></ul>
  </div>
  <div class="article">
    <table class="xxgk-info">
      <tr><td>索 引 号:</td><td>11150000011513451W/2015-00213</td><td>主题分类:</td><td>综合政务</td></tr>
      <tr><td>发文机关:</td><td>内蒙古自治区人民政府办公厅</td><td>成文日期:</td><td>2015年04月20日</td></tr>
    </table>
    <h1>{title}</h1>
    <div class="info">来源:自治区人民政府办公厅 发布时间:2015-04-24 10:12 【字体:<a href="javascript:setFontSize(18)">大</a> <a href="javascript:setFontSize(16)">中</a> <a href="javascript:setFontSize(14)">小</a>】</div>
    <div class="content" id="zoom">
{body}
    </div>
    <div class="share">分享到:<a href="#">微信</a> <a href="#">微博</a> <a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
    <div class="related"><h4>相关文件</h4><ul>
      <li><a href="/zwgk/1.html">内蒙古自治区人民政府关于加快推进向北开放的若干意见</a></li>
      <li><a href="/zwgk/2.html">自治区人民政府办公厅关于印发2014年区域合作工作要点的通知</a></li></ul></div>
  </div>
</div>
<div class="footer">
  <p><a href="/about/">关于我们</a> | <a href="/sitemap/">网站地图</a> | <a href="/contact/">联系我们</a></p>
  <p>主办:内蒙古自治区人民政府办公厅 承办:内蒙古自治区政务服务与数据管理局</p>
  <p>版权所有:内蒙古自治区人民政府 网站标识码:1500000001 蒙ICP备05003328号</p>
</div>
<script type="text/javascript">_hmt.push(["_trackPageview"]);</script>
</body>
</html>
"""
NOTICE_TITLE = "内蒙古自治区人民政府办公厅关于印发自治区2015年区域合作重点推进事项及分工方案的通知"


def plan_lines() -> list[str]:
    """The plan's non-empty lines."""
    return [ln.strip() for ln in PLAN.read_text(encoding="utf-8").splitlines() if ln.strip()]


def write_html(path: Path, lines: list[str]) -> None:
    paragraphs = []
    for ln in lines:
        text = html.escape(ln)
        if ln.startswith("内蒙古自治区") and ln.endswith("方案"):
            paragraphs.append(f'<p style="text-align: center;"><strong>{text}</strong></p>')
        elif ln.startswith(SECTION_HEADINGS):
            paragraphs.append(f"<p><strong>{text}</strong></p>")
        else:
            paragraphs.append(f'<p style="text-indent: 2em;">{text}</p>')
    page = PAGE.format(title=NOTICE_TITLE, body="\n".join(paragraphs))
    path.write_bytes(page.encode("gb18030"))


def write_docx(path: Path, lines: list[str]) -> None:
    import docx

    document = docx.Document()
    document.core_properties.created = dt.datetime(2015, 4, 20)
    document.core_properties.modified = dt.datetime(2015, 4, 20)
    document.core_properties.last_modified_by = "bgt"
    for ln in lines:
        if ln.startswith("内蒙古自治区") and ln.endswith("方案"):
            document.add_heading(ln, level=1)
        elif ln.startswith(SECTION_HEADINGS):
            document.add_heading(ln, level=2)
        else:
            document.add_paragraph(ln)
    # An attachment table as offices add them: it must reach the text stage row by row.
    document.add_paragraph("附表:2015年重点推进交通项目")
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("项目名称", "建设内容", "牵头单位")):
        cell.text = text
    for row in (("呼和浩特—张家口客运专线", "确保2017年建成通车", "自治区铁路办"),
                ("G7京新高速临河—白疙瘩段", "加快建设", "自治区交通运输厅")):
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    document.save(str(path))


def write_pdf(path: Path, lines: list[str]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=20, wordWrap="CJK",
                          firstLineIndent=24)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=26, alignment=1, firstLineIndent=0)

    def page_number(canvas, doc):  # type: ignore[no-untyped-def]
        canvas.setFont("STSong-Light", 10)
        canvas.drawCentredString(A4[0] / 2, 15 * mm, f"- {doc.page} -")

    story = []
    for ln in lines:
        is_title = ln.startswith("内蒙古自治区") and ln.endswith("方案")
        story.append(Paragraph(html.escape(ln), title if is_title else body))
        story.append(Spacer(1, 4))
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=45 * mm, rightMargin=45 * mm,
                            topMargin=60 * mm, bottomMargin=30 * mm, invariant=True,
                            title="2015年区域合作重点推进事项及分工方案")
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)


def write_scanned_pdf(path: Path, lines: list[str]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import noto_cjk_sans_otc
    from matplotlib import font_manager
    from matplotlib import pyplot as plt
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = font_manager.FontProperties(fname=str(Path(noto_cjk_sans_otc.__file__).parent / "NotoSansCJK-Regular.ttc"))
    figure = plt.figure(figsize=(8.27, 11.69), dpi=60)
    for i, ln in enumerate(lines[:12]):
        figure.text(0.08, 0.92 - i * 0.04, ln[:34], fontproperties=font, fontsize=11)
    picture = io.BytesIO()
    figure.savefig(picture, format="png", dpi=60)
    plt.close(figure)
    picture.seek(0)
    page = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    page.drawImage(ImageReader(picture), 0, 0, width=A4[0], height=A4[1])
    page.showPage()
    page.save()


def main() -> None:
    lines = plan_lines()
    write_html(HERE / "nmg-2015.html", lines)
    write_docx(HERE / "nmg-2015.docx", lines)
    write_pdf(HERE / "nmg-2015.pdf", lines)
    write_scanned_pdf(HERE / "scanned.pdf", lines)


if __name__ == "__main__":
    main()

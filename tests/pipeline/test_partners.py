"""Partner provinces in every form the plan uses."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "partners"),
    [
        ("落实与天津、山东、江苏、吉林等省市的能源合作协议", ["天津市", "山东省", "江苏省", "吉林省"]),
        ("继续与北京市、上海市、天津市、湖北省教育部门沟通协调", ["北京市", "上海市", "天津市", "湖北省"]),
        ("重点推进我区至京津冀及山东等地区的油气管道建设", ["北京市", "天津市", "河北省", "山东省"]),
        ("加强与东三省的科技合作", ["辽宁省", "吉林省", "黑龙江省"]),
        ("京津环渤海旅游圈", ["北京市", "天津市", "河北省", "辽宁省", "山东省"]),
        ("呼和浩特—张家口客运专线", ["河北省"]),
        ("白音华至锦州复线", ["辽宁省"]),
        ("额济纳至哈密", ["新疆维吾尔自治区"]),
        ("上海庙能源化工基地电力外送通道", []),          # a town in Inner Mongolia, not Shanghai
        ("深化京蒙科技合作", ["北京市"]),
        ("做好第二届粤蒙科技活动周筹备工作", ["广东省"]),
        ("加强与8个毗邻省区规划地对接工作", ["黑龙江省", "吉林省", "辽宁省", "河北省", "山西省", "陕西省", "宁夏回族自治区", "甘肃省"]),
        ("内蒙古自治区交通物流发展规划", []),             # the home region is never a partner
        ("加强项目策划和重点产业园区推介", []),
        # a shared last word: 华北和华东电网 names two grids, not the region 华北 and a grid
        ("推动我区风电外送至华北和华东电网消纳", ["北京市", "天津市", "河北省", "山西省", "山东省", "上海市", "江苏省",
                                   "浙江省", "安徽省", "福建省"]),
        ("继续深化《环渤海及北京周边九省(区、市)联合开发推广专项旅游产品战略协议》",
         ["北京市", "天津市", "河北省", "辽宁省", "山东省", "山西省", "陕西省", "河南省"]),
    ],
)
def test_partners(finder, text: str, partners: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert finder.partners(text) == partners


@pytest.mark.parametrize(
    ("name", "province"),
    [("张家口", "河北省"), ("锦州", "辽宁省"), ("哈密", "新疆维吾尔自治区"), ("锡盟", "内蒙古自治区"),
     ("白疙瘩", "内蒙古自治区"), ("丰宁", "河北省"), ("天津南", "天津市")],
)
def test_places_imply_their_province(gazetteer, name: str, province: str) -> None:  # type: ignore[no-untyped-def]
    assert gazetteer.province_of(name) == province

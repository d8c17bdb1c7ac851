"""Position → province and city, from a small local table: the provincial capitals and a few
large cities, so that filling in an address (C000-13) needs no outside location service and
nothing leaves Candor. The answer is the nearest entry by great-circle distance — good enough
to pre-fill two fields the person then checks; a position far from every entry (abroad, at
sea) is refused. Coordinates are used in memory only and never stored or logged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from candor.catalog.models import pick

MAX_KM = 600  # further than this from every entry: not a region the mall delivers to
_EARTH_KM = 6371.0


@dataclass(frozen=True)
class Place:
    province_zh: str
    province_en: str
    city_zh: str
    city_en: str
    lat: float
    lon: float

    def province(self, lang: str | None) -> str:
        return pick(lang, self.province_zh, self.province_en)

    def city(self, lang: str | None) -> str:
        return pick(lang, self.city_zh, self.city_en)


PLACES: tuple[Place, ...] = (
    Place("北京市", "Beijing", "北京市", "Beijing", 39.904, 116.407),
    Place("天津市", "Tianjin", "天津市", "Tianjin", 39.084, 117.201),
    Place("上海市", "Shanghai", "上海市", "Shanghai", 31.230, 121.474),
    Place("重庆市", "Chongqing", "重庆市", "Chongqing", 29.563, 106.551),
    Place("河北省", "Hebei", "石家庄市", "Shijiazhuang", 38.042, 114.515),
    Place("河北省", "Hebei", "唐山市", "Tangshan", 39.631, 118.180),
    Place("河北省", "Hebei", "保定市", "Baoding", 38.874, 115.465),
    Place("山西省", "Shanxi", "太原市", "Taiyuan", 37.870, 112.549),
    Place("山西省", "Shanxi", "大同市", "Datong", 40.077, 113.300),
    Place("内蒙古自治区", "Inner Mongolia", "呼和浩特市", "Hohhot", 40.842, 111.749),
    Place("内蒙古自治区", "Inner Mongolia", "包头市", "Baotou", 40.657, 109.840),
    Place("内蒙古自治区", "Inner Mongolia", "赤峰市", "Chifeng", 42.257, 118.887),
    Place("内蒙古自治区", "Inner Mongolia", "呼伦贝尔市", "Hulunbuir", 49.212, 119.766),
    Place("辽宁省", "Liaoning", "沈阳市", "Shenyang", 41.806, 123.432),
    Place("辽宁省", "Liaoning", "大连市", "Dalian", 38.914, 121.615),
    Place("吉林省", "Jilin", "长春市", "Changchun", 43.817, 125.324),
    Place("吉林省", "Jilin", "吉林市", "Jilin", 43.838, 126.549),
    Place("黑龙江省", "Heilongjiang", "哈尔滨市", "Harbin", 45.803, 126.535),
    Place("黑龙江省", "Heilongjiang", "齐齐哈尔市", "Qiqihar", 47.354, 123.918),
    Place("黑龙江省", "Heilongjiang", "牡丹江市", "Mudanjiang", 44.552, 129.633),
    Place("江苏省", "Jiangsu", "南京市", "Nanjing", 32.060, 118.797),
    Place("江苏省", "Jiangsu", "苏州市", "Suzhou", 31.299, 120.585),
    Place("江苏省", "Jiangsu", "无锡市", "Wuxi", 31.491, 120.312),
    Place("江苏省", "Jiangsu", "徐州市", "Xuzhou", 34.205, 117.284),
    Place("浙江省", "Zhejiang", "杭州市", "Hangzhou", 30.274, 120.155),
    Place("浙江省", "Zhejiang", "宁波市", "Ningbo", 29.868, 121.544),
    Place("浙江省", "Zhejiang", "温州市", "Wenzhou", 27.994, 120.699),
    Place("安徽省", "Anhui", "合肥市", "Hefei", 31.821, 117.227),
    Place("安徽省", "Anhui", "芜湖市", "Wuhu", 31.353, 118.433),
    Place("福建省", "Fujian", "福州市", "Fuzhou", 26.075, 119.306),
    Place("福建省", "Fujian", "厦门市", "Xiamen", 24.480, 118.089),
    Place("福建省", "Fujian", "泉州市", "Quanzhou", 24.874, 118.676),
    Place("江西省", "Jiangxi", "南昌市", "Nanchang", 28.682, 115.858),
    Place("江西省", "Jiangxi", "赣州市", "Ganzhou", 25.831, 114.935),
    Place("山东省", "Shandong", "济南市", "Jinan", 36.651, 117.120),
    Place("山东省", "Shandong", "青岛市", "Qingdao", 36.067, 120.383),
    Place("山东省", "Shandong", "烟台市", "Yantai", 37.464, 121.448),
    Place("河南省", "Henan", "郑州市", "Zhengzhou", 34.746, 113.625),
    Place("河南省", "Henan", "洛阳市", "Luoyang", 34.620, 112.454),
    Place("湖北省", "Hubei", "武汉市", "Wuhan", 30.593, 114.305),
    Place("湖北省", "Hubei", "宜昌市", "Yichang", 30.692, 111.287),
    Place("湖北省", "Hubei", "襄阳市", "Xiangyang", 32.009, 112.122),
    Place("湖南省", "Hunan", "长沙市", "Changsha", 28.228, 112.939),
    Place("湖南省", "Hunan", "衡阳市", "Hengyang", 26.894, 112.572),
    Place("广东省", "Guangdong", "广州市", "Guangzhou", 23.129, 113.264),
    Place("广东省", "Guangdong", "深圳市", "Shenzhen", 22.543, 114.058),
    Place("广东省", "Guangdong", "东莞市", "Dongguan", 23.021, 113.752),
    Place("广东省", "Guangdong", "佛山市", "Foshan", 23.022, 113.122),
    Place("广东省", "Guangdong", "汕头市", "Shantou", 23.354, 116.682),
    Place("广东省", "Guangdong", "湛江市", "Zhanjiang", 21.271, 110.359),
    Place("广西壮族自治区", "Guangxi", "南宁市", "Nanning", 22.817, 108.366),
    Place("广西壮族自治区", "Guangxi", "桂林市", "Guilin", 25.274, 110.290),
    Place("广西壮族自治区", "Guangxi", "柳州市", "Liuzhou", 24.326, 109.428),
    Place("海南省", "Hainan", "海口市", "Haikou", 20.044, 110.199),
    Place("海南省", "Hainan", "三亚市", "Sanya", 18.253, 109.512),
    Place("四川省", "Sichuan", "成都市", "Chengdu", 30.573, 104.066),
    Place("四川省", "Sichuan", "绵阳市", "Mianyang", 31.468, 104.679),
    Place("贵州省", "Guizhou", "贵阳市", "Guiyang", 26.647, 106.630),
    Place("贵州省", "Guizhou", "遵义市", "Zunyi", 27.726, 106.927),
    Place("云南省", "Yunnan", "昆明市", "Kunming", 25.038, 102.718),
    Place("云南省", "Yunnan", "大理白族自治州", "Dali", 25.607, 100.268),
    Place("西藏自治区", "Tibet", "拉萨市", "Lhasa", 29.652, 91.172),
    Place("西藏自治区", "Tibet", "日喀则市", "Shigatse", 29.267, 88.881),
    Place("西藏自治区", "Tibet", "那曲市", "Nagqu", 31.476, 92.051),
    Place("西藏自治区", "Tibet", "昌都市", "Chamdo", 31.141, 97.172),
    Place("西藏自治区", "Tibet", "阿里地区", "Ngari", 32.503, 80.106),
    Place("陕西省", "Shaanxi", "西安市", "Xi'an", 34.341, 108.940),
    Place("陕西省", "Shaanxi", "榆林市", "Yulin", 38.285, 109.735),
    Place("甘肃省", "Gansu", "兰州市", "Lanzhou", 36.061, 103.834),
    Place("甘肃省", "Gansu", "酒泉市", "Jiuquan", 39.733, 98.494),
    Place("青海省", "Qinghai", "西宁市", "Xining", 36.617, 101.778),
    Place("青海省", "Qinghai", "海西蒙古族藏族自治州", "Haixi", 36.407, 94.903),
    Place("青海省", "Qinghai", "玉树藏族自治州", "Yushu", 33.004, 97.006),
    Place("宁夏回族自治区", "Ningxia", "银川市", "Yinchuan", 38.487, 106.231),
    Place("新疆维吾尔自治区", "Xinjiang", "乌鲁木齐市", "Ürümqi", 43.825, 87.617),
    Place("新疆维吾尔自治区", "Xinjiang", "喀什地区", "Kashgar", 39.470, 75.990),
    Place("新疆维吾尔自治区", "Xinjiang", "和田地区", "Hotan", 37.114, 79.922),
    Place("新疆维吾尔自治区", "Xinjiang", "阿克苏地区", "Aksu", 41.168, 80.260),
    Place("新疆维吾尔自治区", "Xinjiang", "哈密市", "Hami", 42.819, 93.515),
    Place("新疆维吾尔自治区", "Xinjiang", "阿勒泰地区", "Altay", 47.845, 88.141),
    Place("新疆维吾尔自治区", "Xinjiang", "巴音郭楞蒙古自治州", "Bayingolin", 41.726, 86.174),
    Place("香港特别行政区", "Hong Kong", "香港", "Hong Kong", 22.320, 114.169),
    Place("澳门特别行政区", "Macao", "澳门", "Macao", 22.199, 113.544),
    Place("台湾省", "Taiwan", "台北市", "Taipei", 25.033, 121.565),
)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def nearest(latitude: float, longitude: float) -> Place | None:
    """The nearest entry, or None when every entry is further than ``MAX_KM``."""
    place = min(PLACES, key=lambda p: distance_km(latitude, longitude, p.lat, p.lon))
    return place if distance_km(latitude, longitude, place.lat, place.lon) <= MAX_KM else None

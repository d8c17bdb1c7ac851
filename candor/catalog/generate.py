# ruff: noqa: E501  (the word lists read best as one block per category)
"""A realistic bilingual catalog made from small word lists, deterministically (seeded random),
in bulk: the demo loads a few thousand products, the benchmarks 100k (``candor catalog
generate --products 100000 --users 10000``). Rows go in with ``bulk_create`` in large batches,
so 100k products with their SKUs and stock take seconds, not minutes.

Helpers for other apps' generators: ``users_generate`` (bench accounts) and
``history_generate`` (browsing history); search and social build their own histories on top.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from candor.catalog.models import BrowsingHistory, Category, Merchant, Product, Sku, Stock
from candor.catalog.selectors import reference_changed

BATCH = 5000

# (slug, zh, en, kind)
MERCHANTS = [
    ("candor-self", "Candor 自营旗舰店", "Candor Official Store", "self"),
    ("shuma-gang", "数码港专营店", "Digital Harbour", "third_party"),
    ("jike-diannao", "极客电脑旗舰店", "Geek Computers", "third_party"),
    ("jiadian-youxuan", "家电优选", "Appliance Select", "third_party"),
    ("shenghuo-jia", "生活家居馆", "Living Home", "third_party"),
    ("xianguo-yuan", "鲜果园", "Fresh Orchard", "third_party"),
    ("anxin-fuwu", "安心服务", "Reliable Services", "third_party"),
]

WAREHOUSES = [
    ("北京仓", "华北"),
    ("上海仓", "华东"),
    ("广州仓", "华南"),
    ("成都仓", "西南"),
    ("武汉仓", "华中"),
]

COLOURS = [
    ("黑色", "black"),
    ("白色", "white"),
    ("蓝色", "blue"),
    ("绿色", "green"),
    ("紫色", "purple"),
    ("金色", "gold"),
]
CAPACITIES = ["8GB+128GB", "8GB+256GB", "12GB+256GB", "12GB+512GB", "16GB+1TB"]
PHONE_MODELS = {
    ("华为", "HUAWEI"): [
        "Mate 60",
        "Mate 60 Pro",
        "Mate X5",
        "P60",
        "P60 Pro",
        "nova 12",
        "nova 12 Pro",
        "Pura 70",
    ],
    ("小米", "Xiaomi"): ["14", "14 Pro", "14 Ultra", "Civi 4", "MIX Fold 3"],
    ("红米", "Redmi"): ["K70", "K70 Pro", "Note 13", "Note 13 Pro", "Turbo 3"],
    ("苹果", "Apple"): ["iPhone 15", "iPhone 15 Plus", "iPhone 15 Pro", "iPhone 15 Pro Max", "iPhone 14"],
    ("荣耀", "HONOR"): ["Magic6", "Magic6 Pro", "90", "X50"],
    ("OPPO", "OPPO"): ["Find X7", "Reno11", "A2"],
    ("vivo", "vivo"): ["X100", "X100 Pro", "S18", "Y100"],
}


@dataclass(frozen=True)
class Leaf:
    slug: str
    zh: str
    en: str
    parent: str
    brands: Sequence[tuple[str, str]]
    nouns: tuple[str, str]  # (zh, en) what it is
    extras: Sequence[tuple[str, str]]  # (zh, en) qualities
    price: tuple[int, int]  # yuan
    options: str = "colour"  # colour | capacity | colour_capacity | size | weight | plan
    is_service: bool = False
    merchants: Sequence[str] = ()
    weight: int = 1


ROOTS = [
    ("phones-digital", "手机数码", "Phones & digital"),
    ("computers-office", "电脑办公", "Computers & office"),
    ("appliances", "家用电器", "Home appliances"),
    ("home-living", "家居家装", "Home & living"),
    ("food-fresh", "食品生鲜", "Food & fresh"),
    ("services", "生活服务", "Services"),
]

_PHONE_BRANDS = list(PHONE_MODELS)
_ACCESSORY_BRANDS = [
    ("倍思", "Baseus"),
    ("绿联", "UGREEN"),
    ("品胜", "PISEN"),
    ("公牛", "BULL"),
    ("图拉斯", "TORRAS"),
]

LEAVES = [
    Leaf("phones", "手机", "Phones", "phones-digital", _PHONE_BRANDS, ("手机", "phone"),
         [("5G 全网通", "5G"), ("旗舰", "flagship"), ("拍照", "camera"), ("长续航", "long battery life"),
          ("曲面屏", "curved screen"), ("新品", "new")], (799, 9999), "colour_capacity",
         merchants=("candor-self", "shuma-gang"), weight=4),
    Leaf("phone-cases", "手机壳", "Phone cases", "phones-digital", _PHONE_BRANDS, ("手机壳", "phone case"),
         [("硅胶", "silicone"), ("防摔", "shockproof"), ("透明", "clear"), ("磁吸", "magnetic"),
          ("全包", "full-cover"), ("超薄", "ultra-thin"), ("皮革", "leather")], (19, 199), "colour",
         merchants=("shuma-gang", "candor-self"), weight=4),
    Leaf("screen-protectors", "手机膜", "Screen protectors", "phones-digital", _PHONE_BRANDS,
         ("钢化膜", "tempered glass screen protector"),
         [("高清", "HD"), ("防窥", "privacy"), ("全屏", "full-screen"), ("蓝光", "anti-blue-light"),
          ("磨砂", "matte")], (9, 99), "pack", merchants=("shuma-gang",), weight=3),
    Leaf("chargers", "充电器", "Chargers", "phones-digital", _ACCESSORY_BRANDS, ("充电器", "charger"),
         [("65W 快充", "65W fast"), ("氮化镓", "GaN"), ("双口", "dual-port"), ("无线", "wireless"),
          ("车载", "car")], (29, 299), "colour", merchants=("shuma-gang", "candor-self")),
    Leaf("earphones", "耳机", "Earphones", "phones-digital",
         [("华为", "HUAWEI"), ("小米", "Xiaomi"), ("苹果", "Apple"), ("漫步者", "EDIFIER"), ("索尼", "Sony")],
         ("蓝牙耳机", "Bluetooth earphones"),
         [("降噪", "noise-cancelling"), ("真无线", "true wireless"), ("运动", "sport"), ("头戴式", "over-ear")],
         (99, 2999), "colour", merchants=("shuma-gang", "candor-self"), weight=2),
    Leaf("laptops", "笔记本", "Laptops", "computers-office",
         [("联想", "Lenovo"), ("华为", "HUAWEI"), ("小米", "Xiaomi"), ("苹果", "Apple"), ("戴尔", "Dell"),
          ("惠普", "HP"), ("华硕", "ASUS")], ("笔记本电脑", "laptop"),
         [("轻薄", "thin and light"), ("游戏", "gaming"), ("14 英寸", "14-inch"), ("16 英寸", "16-inch"),
          ("商务", "business")], (2999, 19999), "capacity", merchants=("jike-diannao", "candor-self"), weight=3),
    Leaf("desktops", "台式机", "Desktops", "computers-office",
         [("联想", "Lenovo"), ("戴尔", "Dell"), ("惠普", "HP"), ("苹果", "Apple")], ("台式电脑", "desktop computer"),
         [("一体机", "all-in-one"), ("游戏主机", "gaming"), ("办公", "office"), ("迷你", "mini")],
         (1999, 14999), "capacity", merchants=("jike-diannao",)),
    Leaf("monitors", "显示器", "Monitors", "computers-office",
         [("戴尔", "Dell"), ("三星", "Samsung"), ("小米", "Xiaomi"), ("AOC", "AOC"), ("明基", "BenQ")],
         ("显示器", "monitor"), [("27 英寸", "27-inch"), ("4K", "4K"), ("144Hz 电竞", "144Hz gaming"),
                                  ("护眼", "eye-care"), ("曲面", "curved")], (699, 4999), "colour",
         merchants=("jike-diannao", "candor-self")),
    Leaf("keyboards-mice", "键盘鼠标", "Keyboards & mice", "computers-office",
         [("罗技", "Logitech"), ("雷蛇", "Razer"), ("小米", "Xiaomi"), ("达尔优", "Dareu")],
         ("键盘", "keyboard"), [("机械", "mechanical"), ("无线", "wireless"), ("静音", "silent"), ("RGB", "RGB")],
         (49, 999), "colour", merchants=("jike-diannao",)),
    Leaf("fridges", "冰箱", "Fridges", "appliances",
         [("海尔", "Haier"), ("美的", "Midea"), ("西门子", "Siemens"), ("容声", "Ronshen")], ("冰箱", "fridge"),
         [("双开门", "side-by-side"), ("十字对开门", "French-door"), ("风冷无霜", "frost-free"), ("一级能效", "A-class")],
         (1299, 12999), "colour", merchants=("jiadian-youxuan", "candor-self"), weight=2),
    Leaf("washing-machines", "洗衣机", "Washing machines", "appliances",
         [("海尔", "Haier"), ("小天鹅", "Little Swan"), ("美的", "Midea"), ("西门子", "Siemens")],
         ("洗衣机", "washing machine"), [("滚筒", "front-load"), ("波轮", "top-load"), ("洗烘一体", "washer-dryer"),
                                       ("10 公斤", "10 kg")], (999, 8999), "colour",
         merchants=("jiadian-youxuan", "candor-self")),
    Leaf("air-conditioners", "空调", "Air conditioners", "appliances",
         [("格力", "Gree"), ("美的", "Midea"), ("海尔", "Haier"), ("奥克斯", "AUX")], ("空调", "air conditioner"),
         [("变频", "inverter"), ("1.5 匹", "1.5 HP"), ("柜机", "floor-standing"), ("挂机", "wall-mounted"),
          ("一级能效", "A-class")], (1999, 9999), "colour", merchants=("jiadian-youxuan",)),
    Leaf("rice-cookers", "电饭煲", "Rice cookers", "appliances",
         [("美的", "Midea"), ("苏泊尔", "SUPOR"), ("九阳", "Joyoung"), ("小米", "Xiaomi")], ("电饭煲", "rice cooker"),
         [("IH", "IH"), ("4L", "4 L"), ("智能预约", "smart timer"), ("低糖", "low-sugar")], (129, 1299), "colour",
         merchants=("jiadian-youxuan", "candor-self")),
    Leaf("bedding", "床品", "Bedding", "home-living",
         [("罗莱", "LUOLAI"), ("水星家纺", "Mercury"), ("富安娜", "Fuanna"), ("无印良品", "MUJI")],
         ("四件套", "bedding set"), [("纯棉", "cotton"), ("天丝", "Tencel"), ("简约", "simple"), ("1.8 米", "1.8 m")],
         (99, 1299), "size", merchants=("shenghuo-jia",), weight=2),
    Leaf("cookware", "厨具", "Cookware", "home-living",
         [("苏泊尔", "SUPOR"), ("双立人", "Zwilling"), ("爱仕达", "ASD")], ("炒锅", "wok"),
         [("不粘", "non-stick"), ("铸铁", "cast iron"), ("32 厘米", "32 cm"), ("燃气电磁通用", "gas and induction")],
         (59, 999), "size", merchants=("shenghuo-jia", "candor-self")),
    Leaf("storage", "收纳", "Storage", "home-living",
         [("禧天龙", "Citylong"), ("茶花", "Chahua"), ("宜家", "IKEA")], ("收纳箱", "storage box"),
         [("加厚", "thick"), ("透明", "clear"), ("可折叠", "foldable"), ("大号", "large")], (19, 199), "size",
         merchants=("shenghuo-jia",)),
    Leaf("snacks", "零食", "Snacks", "food-fresh",
         [("三只松鼠", "Three Squirrels"), ("良品铺子", "BESTORE"), ("百草味", "Be&Cheery"), ("卫龙", "WeiLong")],
         ("坚果礼盒", "nut gift box"), [("每日坚果", "daily nuts"), ("混合", "mixed"), ("原味", "plain"),
                                      ("年货", "New Year")], (19, 299), "weight", merchants=("xianguo-yuan", "candor-self"),
         weight=2),
    Leaf("tea", "茶叶", "Tea", "food-fresh",
         [("西湖", "West Lake"), ("八马", "Bama"), ("大益", "TAETEA"), ("竹叶青", "Zhuyeqing")], ("茶叶", "tea"),
         [("龙井", "Longjing"), ("铁观音", "Tieguanyin"), ("普洱", "Pu'er"), ("明前", "pre-Qingming"), ("礼盒", "gift box")],
         (49, 1999), "weight", merchants=("xianguo-yuan",)),
    Leaf("fruit", "水果", "Fruit", "food-fresh",
         [("佳沛", "Zespri"), ("都乐", "Dole"), ("褚橙", "Chu Orange"), ("阿克苏", "Aksu")], ("水果", "fruit"),
         [("新鲜", "fresh"), ("苹果", "apples"), ("猕猴桃", "kiwifruit"), ("橙子", "oranges"), ("现摘", "freshly picked")],
         (29, 399), "weight", merchants=("xianguo-yuan",), weight=2),
    Leaf("phone-repair", "手机维修", "Phone repair", "services", [("安心", "Reliable")], ("手机维修服务", "phone repair"),
         [("换屏", "screen replacement"), ("换电池", "battery replacement"), ("上门", "at home"), ("到店", "in store")],
         (99, 1599), "plan", is_service=True, merchants=("anxin-fuwu", "candor-self")),
    Leaf("appliance-cleaning", "家电清洗", "Appliance cleaning", "services", [("安心", "Reliable")],
         ("家电清洗服务", "appliance cleaning"),
         [("空调", "air conditioner"), ("洗衣机", "washing machine"), ("油烟机", "range hood"), ("深度", "deep")],
         (59, 399), "plan", is_service=True, merchants=("anxin-fuwu",)),
    Leaf("installation", "安装服务", "Installation", "services", [("安心", "Reliable")], ("安装服务", "installation"),
         [("空调", "air conditioner"), ("电视挂装", "TV wall mount"), ("热水器", "water heater"), ("灯具", "lamp")],
         (49, 499), "plan", is_service=True, merchants=("anxin-fuwu", "candor-self")),
]  # fmt: skip

_DESCRIPTION_ZH = "{name}。{brand}正品，{extra}。全国联保，七天无理由退货（服务类除外）。"
_DESCRIPTION_EN = (
    "{name}. Genuine {brand}, {extra}. Nationwide warranty; 7-day no-reason returns (services excepted)."
)


@contextmanager
def _explicit_timestamps() -> Iterator[None]:
    """Let generated rows carry their own created_at/updated_at (spread over two years, so
    "newest" is a real order) instead of all being stamped "now" by auto_now_add."""
    fields = [Product._meta.get_field("created_at"), Product._meta.get_field("updated_at")]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add  # type: ignore[attr-defined]


def categories_ensure() -> dict[str, Category]:
    """The category tree (roots and leaves), created once; slug -> category."""
    existing = {c.slug: c for c in Category.objects.all()}
    for position, (slug, zh, en) in enumerate(ROOTS):
        if slug not in existing:
            existing[slug] = Category.objects.create(slug=slug, name_zh=zh, name_en=en, position=position)
    for position, leaf in enumerate(LEAVES):
        if leaf.slug not in existing:
            existing[leaf.slug] = Category.objects.create(
                slug=leaf.slug,
                name_zh=leaf.zh,
                name_en=leaf.en,
                parent=existing[leaf.parent],
                position=position,
            )
    return existing


def merchants_ensure() -> dict[str, Merchant]:
    existing = {m.slug: m for m in Merchant.objects.all()}
    for slug, zh, en, kind in MERCHANTS:
        if slug not in existing:
            existing[slug] = Merchant.objects.create(slug=slug, name_zh=zh, name_en=en, kind=kind)
    return existing


def _options(rng: random.Random, leaf: Leaf) -> list[tuple[dict[str, str], float]]:
    """1–4 SKUs: their options and a price factor."""
    kind = leaf.options
    if kind == "colour_capacity":
        colours = rng.sample(COLOURS, 2)
        caps = sorted(rng.sample(range(len(CAPACITIES)), 2))
        return [
            ({"颜色 colour": f"{c[0]} {c[1]}", "容量 capacity": CAPACITIES[i]}, 1 + 0.15 * n)
            for c in colours
            for n, i in enumerate(caps)
        ]
    if kind == "capacity":
        caps = sorted(rng.sample(range(1, len(CAPACITIES)), 2))
        return [({"配置 spec": CAPACITIES[i]}, 1 + 0.2 * n) for n, i in enumerate(caps)]
    if kind == "colour":
        return [({"颜色 colour": f"{c[0]} {c[1]}"}, 1.0) for c in rng.sample(COLOURS, rng.randint(1, 3))]
    if kind == "pack":
        return [({"数量 pack": "1 片 1 pc"}, 1.0), ({"数量 pack": "3 片 3 pcs"}, 2.2)]
    if kind == "size":
        return [
            ({"规格 size": s}, f)
            for s, f in (("小 S", 1.0), ("中 M", 1.3), ("大 L", 1.6))[: rng.randint(1, 3)]
        ]
    if kind == "weight":
        return [
            ({"重量 weight": w}, f)
            for w, f in (("500g", 1.0), ("1kg", 1.8), ("2.5kg", 4.0))[: rng.randint(1, 3)]
        ]
    return [
        ({"套餐 plan": p}, f) for p, f in (("标准 standard", 1.0), ("加急 express", 1.4))[: rng.randint(1, 2)]
    ]


def _shop_price(fen: float) -> int:
    """A price as shops write them: ¥1999.00 above a hundred yuan, ¥39.90 below."""
    yuan = fen / 100
    if yuan >= 100:
        return (int(yuan) // 10 * 10 + 9) * 100
    return max(1, int(yuan)) * 100 + 90


def _price_fen(rng: random.Random, low: int, high: int) -> int:
    # Skewed towards the cheap end of the range, as catalogs are.
    return _shop_price((low + (high - low) * rng.random() ** 2) * 100)


@transaction.atomic
def products_generate(*, count: int, seed: int = 5, stdout: Any = None) -> list[int]:
    """Create ``count`` products with SKUs and stock; returns the new product ids."""
    rng = random.Random(seed)  # noqa: S311  (demo data: reproducible, not secret)
    categories = categories_ensure()
    merchants = merchants_ensure()
    reference_changed()
    weights = [leaf.weight for leaf in LEAVES]
    now = timezone.now()
    new_ids: list[int] = []
    with _explicit_timestamps():
        done = 0
        while done < count:
            batch = min(BATCH, count - done)
            products: list[Product] = []
            plans: list[list[tuple[dict[str, str], int]]] = []
            for _n in range(batch):
                leaf = rng.choices(LEAVES, weights)[0]
                brand_zh, brand_en = rng.choice(leaf.brands)
                model = ""
                if (brand_zh, brand_en) in PHONE_MODELS and leaf.parent == "phones-digital":
                    model = rng.choice(PHONE_MODELS[(brand_zh, brand_en)])
                extra_zh, extra_en = rng.choice(leaf.extras)
                extra2_zh, extra2_en = rng.choice(leaf.extras)
                noun_zh, noun_en = leaf.nouns
                if leaf.slug == "phones":
                    name_zh = f"{brand_zh} {model} {extra_zh}{noun_zh}"
                    name_en = f"{brand_en} {model} {extra_en} {noun_en}"
                elif model:
                    name_zh = (
                        f"{brand_zh} {model} {noun_zh} {extra_zh}{'' if extra2_zh == extra_zh else extra2_zh}"
                    )
                    name_en = f"{extra_en} {noun_en} for {brand_en} {model}"
                else:
                    name_zh = (
                        f"{brand_zh} {extra_zh}{noun_zh} {extra2_zh if extra2_zh != extra_zh else ''}".strip()
                    )
                    name_en = f"{brand_en} {extra_en} {noun_en}" + (
                        f", {extra2_en}" if extra2_en != extra_en else ""
                    )
                merchant = merchants[rng.choice(leaf.merchants)]
                created = now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
                sales = int(rng.paretovariate(1.2) * 10) - 10
                products.append(
                    Product(
                        merchant=merchant,
                        category=categories[leaf.slug],
                        root_category_id=categories[leaf.slug].parent_id or categories[leaf.slug].pk,
                        name_zh=name_zh,
                        name_en=name_en,
                        subtitle_zh=f"{extra_zh} · {merchant.name_zh}",
                        subtitle_en=f"{extra_en} · {merchant.name_en}",
                        description_zh=_DESCRIPTION_ZH.format(name=name_zh, brand=brand_zh, extra=extra_zh),
                        description_en=_DESCRIPTION_EN.format(name=name_en, brand=brand_en, extra=extra_en),
                        brand=brand_zh if brand_zh == brand_en else f"{brand_zh} {brand_en}",
                        sales_count=min(max(sales, 0), 500_000),
                        is_service=leaf.is_service,
                        is_active=rng.random() > 0.01,
                        created_at=created,
                        updated_at=created,
                    )
                )
                base = _price_fen(rng, *leaf.price)
                priced = [
                    (opts, base if f == 1 else _shop_price(base * f)) for opts, f in _options(rng, leaf)
                ]
                products[-1].price_fen = min(price for _opts, price in priced)  # the lowest SKU price
                plans.append(priced)
            Product.objects.bulk_create(products, batch_size=BATCH)
            skus = [
                Sku(product_id=product.pk, code=f"P{product.pk}-{k + 1}", options=opts, price_fen=price)
                for product, priced in zip(products, plans, strict=True)
                for k, (opts, price) in enumerate(priced)
            ]
            Sku.objects.bulk_create(skus, batch_size=BATCH)
            stocks = []
            for sku in skus:
                for warehouse, region in rng.sample(WAREHOUSES, rng.randint(1, 2)):
                    stocks.append(
                        Stock(sku_id=sku.pk, warehouse=warehouse, region=region, quantity=rng.randint(0, 500))
                    )
            Stock.objects.bulk_create(stocks, batch_size=BATCH)
            new_ids.extend(p.pk for p in products)
            done += batch
            if stdout is not None and count >= 10_000:
                stdout.write(f"  {done} products\n")
    _index_all(new_ids)
    return new_ids


def _index_all(product_ids: list[int]) -> None:
    """Tell search about the new products once the rows are committed."""
    from candor.catalog.services import _index_later

    _index_later(product_ids)


def users_generate(*, count: int, prefix: str = "bench") -> list[int]:
    """Bench accounts without passwords (they cannot log in by password); returns their ids."""
    user_model = get_user_model()
    start = user_model.objects.filter(username__startswith=f"{prefix}-").count()
    users = [
        user_model(username=f"{prefix}-{n:06d}", is_active=True, password=make_password(None))
        for n in range(start, start + count)
    ]
    user_model.objects.bulk_create(users, batch_size=BATCH)
    return list(
        user_model.objects.filter(username__in=[u.username for u in users]).values_list("pk", flat=True)
    )


def history_generate(
    *, user_ids: Sequence[int], product_ids: Sequence[int], per_user: int = 20, seed: int = 5
) -> int:
    """Browsing history rows for bench users (distinct products per user); returns the count."""
    rng = random.Random(seed)  # noqa: S311  (demo data: reproducible, not secret)
    now = timezone.now()
    rows: list[BrowsingHistory] = []
    total = 0
    for user_id in user_ids:
        for product_id in rng.sample(list(product_ids), min(per_user, len(product_ids))):
            rows.append(
                BrowsingHistory(
                    user_id=user_id,
                    product_id=product_id,
                    viewed_at=now - timedelta(minutes=rng.randint(0, 60 * 24 * 90)),
                )
            )
        if len(rows) >= BATCH:
            BrowsingHistory.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
            total += len(rows)
            rows = []
    BrowsingHistory.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return total + len(rows)

"""The default campaign's data are facts: official slogans and Tuyên Quang's 2022 units; and the shipped
campaigns check clean, read from the repository itself, which no command writes to."""


import pytest

from assets_pipeline.specs.load import load_specs
from tests.conftest import REPO, assets, repository_files

SLOGANS = {
    "CHÀO MỪNG NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA 10/10",
    "CHUYỂN ĐỔI SỐ GIẢI QUYẾT CÁC VẤN ĐỀ CỦA XÃ HỘI VÌ MỘT CUỘC SỐNG TỐT ĐẸP HƠN CHO NGƯỜI DÂN",
}
UNITS = {
    "tỉnh Tuyên Quang", "thành phố Tuyên Quang", "huyện Lâm Bình", "huyện Na Hang", "huyện Chiêm Hóa",
    "huyện Hàm Yên", "huyện Yên Sơn", "huyện Sơn Dương",
}


def test_official_slogans_are_exact():
    specs = load_specs(REPO)
    assert set(specs.campaign.slogans.values()) == SLOGANS


def test_units_are_the_province_its_seven_districts_and_their_communes():
    specs = load_specs(REPO)
    assert {u.name for u in specs.units if u.kind != "commune"} == UNITS
    districts = {u.slug for u in specs.units if u.kind == "district"}
    assert all(u.parent in districts for u in specs.units if u.kind == "commune")  # tests/test_units.py: which
    province = [u for u in specs.units if u.kind == "province"]
    assert len(province) == 1
    assert all(u.parent == province[0].slug for u in specs.units if u.kind == "district")
    assert all(u.slug.isascii() for u in specs.units)


def test_campaign_period_and_issuer():
    campaign = load_specs(REPO).campaign
    assert (str(campaign.period.start), str(campaign.period.end)) == ("2022-10-01", "2022-10-10")
    assert campaign.issuer == "Ủy ban nhân dân tỉnh Tuyên Quang"


@pytest.mark.slow
@pytest.mark.parametrize("campaign", [None, "specs/campaigns/2025.yaml"])
def test_the_shipped_campaigns_check_clean(tmp_path, campaign):
    """A newcomer's first build warns of nothing to act on: what the designs accept, they say why. The
    repository is checked where it is (--root), its report written elsewhere (--output), nothing into it."""
    before = repository_files()
    chosen = ("--campaign", campaign) if campaign else ()
    result = assets("check", "--root", str(REPO), *chosen, "--output", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "warning:" not in result.stderr
    assert " 0 warnings, " in result.stdout
    for line in result.stderr.splitlines():
        assert line.startswith("accepted: ") and " — " in line, line
    assert (tmp_path / "out" / "preflight-check.txt").is_file()
    assert repository_files() == before

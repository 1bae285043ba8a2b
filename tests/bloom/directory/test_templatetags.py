import pytest

from bloom.directory.templatetags.directory_tags import dial


@pytest.mark.parametrize(
    ("written", "dialled"),
    [
        ("1-888-373-7888", "+18883737888"),
        ("(800) 298-7233", "+18002987233"),
        ("+1 (631) 533-5656", "+16315335656"),
        ("860.555.0100", "+18605550100"),
        ("233733", "233733"),
        ("+44 20 7946 0000", "+442079460000"),
        ("", ""),
    ],
)
def test_dial_writes_a_number_as_a_phone_dials_it(written, dialled):
    assert dial(written) == dialled

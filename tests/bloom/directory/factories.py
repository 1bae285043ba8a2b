from bloom.directory.models import Organization


def make_organization(name: str, **fields) -> Organization:
    organization = Organization(name=name, **fields)
    organization.full_clean()
    organization.save()
    return organization

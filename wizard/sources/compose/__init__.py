"""A compose service of the orthancteam/orthanc image: read, judged and written back."""
